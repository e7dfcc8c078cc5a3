'use client'

import {
  ActionIcon,
  Center,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Tabs,
  Text,
} from '@mantine/core'
import { useLocalStorage, useMediaQuery } from '@mantine/hooks'
import {
  IconAdjustments,
  IconChevronLeft,
  IconChevronRight,
  IconDownload,
  IconInfoCircle,
  IconMaximize,
  IconTrash,
  IconZoomIn,
  IconZoomOut,
} from '@tabler/icons-react'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import {
  TransformComponent,
  TransformWrapper,
  type ReactZoomPanPinchRef,
} from 'react-zoom-pan-pinch'
import { useLiveQuery } from 'dexie-react-hooks'
import { getOrCreateDb, type ImageRecord, type ImageSource } from '../../_data/db'
import { getEdit, getEditedBlob } from '../../_data/edits'
import { getOriginal } from '../../_data/images'
import { downloadOriginal } from '../../_lib/library-actions'
import classes from './image-viewer.module.css'
import { AnalysisPanel } from './analysis/analysis-panel'
import { exportPerson } from './analysis/person-export'
import { ResultOverlay } from './analysis/result-overlay'
import { useImageAnalysis } from './analysis/use-image-analysis'
import { ImageEditor } from './editor/image-editor'
import { MetadataPanel } from './metadata-panel'
import { Tip } from '../../_components/tip'

const panStepPx = 80

/** Full-screen view of one original with zoom, pan, previous/next and its metadata. */
export function ImageViewer({
  image,
  position,
  onPrevious,
  onNext,
  onClose,
  onDelete,
}: {
  image: ImageRecord
  position: { index: number; total: number }
  onPrevious?: () => void
  onNext?: () => void
  onClose(): void
  onDelete(): void
}) {
  // An edit synced from a device that sends no files has no rendering here: show the original.
  const edit = useLiveQuery(async () => {
    const db = getOrCreateDb()
    const [record, files] = await Promise.all([
      getEdit(db, image.id),
      db.edited.where(':id').equals(image.id).count(),
    ])
    return files > 0 ? record : undefined
  }, [image.id])
  const [choice, setChoice] = useState<ImageSource>('edited')
  const shown: ImageSource = edit && choice === 'edited' ? 'edited' : 'original'
  const url = useImageUrl(image.id, shown, edit?.revision)
  const [editing, setEditing] = useState(false)
  const zoom = useRef<ReactZoomPanPinchRef>(null)
  const wide = useMediaQuery('(min-width: 62em)', true)
  const [showInfo, setShowInfo] = useState<boolean | null>(null)
  const infoOpen = showInfo ?? wide ?? true
  const [tab, setTab] = useLocalStorage<string>({
    key: 'sightline.viewer-tab',
    defaultValue: 'analysis',
    getInitialValueInEffect: false,
  })
  const analysis = useImageAnalysis(image.id)

  useEffect(() => {
    zoom.current?.resetTransform(0)
  }, [image.id])

  const onKeyDown = (event: KeyboardEvent) => {
    // Keys typed into the side panel (sliders, fields, menus) are theirs, not the viewer's.
    if (
      event.target instanceof Element &&
      event.target.closest('aside, input, textarea, [role="slider"], [role="menu"]')
    ) {
      return
    }
    const z = zoom.current
    const zoomed = (z?.state.scale ?? 1) > 1.01
    const pan = (dx: number, dy: number) => {
      if (!z) return
      const { positionX, positionY, scale } = z.state
      z.setTransform(positionX + dx, positionY + dy, scale, 100)
    }
    const keys: Record<string, () => void> = {
      '+': () => z?.zoomIn(0.5),
      '=': () => z?.zoomIn(0.5),
      '-': () => z?.zoomOut(0.5),
      '0': () => z?.resetTransform(),
      ArrowLeft: () => (zoomed ? pan(panStepPx, 0) : onPrevious?.()),
      ArrowRight: () => (zoomed ? pan(-panStepPx, 0) : onNext?.()),
      ArrowUp: () => zoomed && pan(0, panStepPx),
      ArrowDown: () => zoomed && pan(0, -panStepPx),
      PageUp: () => onPrevious?.(),
      PageDown: () => onNext?.(),
      i: () => setShowInfo(!infoOpen),
      e: () => setEditing(true),
      Delete: onDelete,
    }
    const action = keys[event.key]
    if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault()
      action()
    }
  }

  if (editing) return <ImageEditor image={image} onClose={() => setEditing(false)} />

  return (
    <Modal
      opened
      onClose={onClose}
      fullScreen
      padding={0}
      transitionProps={{ duration: 0 }}
      aria-label={image.name}
      title={
        <Group gap="xs" wrap="nowrap">
          <Text fw={600} truncate="end" maw={{ base: 140, sm: 420 }}>
            {image.name}
          </Text>
          <Text c="dimmed" fz="sm" style={{ whiteSpace: 'nowrap' }}>
            {position.index + 1} of {position.total}
          </Text>
          {edit ? (
            <SegmentedControl
              size="xs"
              aria-label="Version shown"
              value={shown}
              onChange={(value) => setChoice(value as ImageSource)}
              data={[
                { value: 'edited', label: `Edited (v${edit.revision})` },
                { value: 'original', label: 'Original' },
              ]}
            />
          ) : null}
        </Group>
      }
      classNames={{ body: classes.body }}
      styles={{ title: { minWidth: 0 }, header: { gap: 8 } }}
      onKeyDown={onKeyDown}
    >
      <div className={classes.stage}>
        <Group gap={4} pos="absolute" top={8} right={8} style={{ zIndex: 3 }}>
          <Tip label="Zoom out (−)">
            <ActionIcon
              variant="default"
              aria-label="Zoom out"
              onClick={() => zoom.current?.zoomOut(0.5)}
            >
              <IconZoomOut size={18} />
            </ActionIcon>
          </Tip>
          <Tip label="Zoom in (+)">
            <ActionIcon
              variant="default"
              aria-label="Zoom in"
              onClick={() => zoom.current?.zoomIn(0.5)}
            >
              <IconZoomIn size={18} />
            </ActionIcon>
          </Tip>
          <Tip label="Fit (0)">
            <ActionIcon
              variant="default"
              aria-label="Fit to screen"
              onClick={() => zoom.current?.resetTransform()}
            >
              <IconMaximize size={18} />
            </ActionIcon>
          </Tip>
          <Tip label="Edit (E)">
            <ActionIcon variant="default" aria-label="Edit image" onClick={() => setEditing(true)}>
              <IconAdjustments size={18} />
            </ActionIcon>
          </Tip>
          <Tip label="Download original">
            <ActionIcon
              variant="default"
              aria-label="Download original"
              onClick={() => void downloadOriginal(getOrCreateDb(), image)}
            >
              <IconDownload size={18} />
            </ActionIcon>
          </Tip>
          <Tip label="Delete (Del)">
            <ActionIcon variant="default" color="red" aria-label="Delete image" onClick={onDelete}>
              <IconTrash size={18} />
            </ActionIcon>
          </Tip>
          <Tip label="Details (I)">
            <ActionIcon
              variant={infoOpen ? 'filled' : 'default'}
              aria-label="Show details"
              aria-pressed={infoOpen}
              onClick={() => setShowInfo(!infoOpen)}
            >
              <IconInfoCircle size={18} />
            </ActionIcon>
          </Tip>
        </Group>
        <StepButton side="left" label="Previous image" onClick={onPrevious} />
        <StepButton side="right" label="Next image" onClick={onNext} />
        {url ? (
          <TransformWrapper
            ref={zoom}
            minScale={1}
            maxScale={16}
            centerOnInit
            doubleClick={{ mode: 'toggle', step: 1.5 }}
            wheel={{ step: 0.15 }}
          >
            <TransformComponent
              wrapperClass={classes.wrapper}
              contentStyle={{
                width: '100%',
                height: '100%',
                alignItems: 'center',
                justifyContent: 'center',
              }}
            >
              <div className={classes.frame}>
                {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL */}
                <img src={url} alt={image.name} className={classes.image} draggable={false} />
                {analysis.results && (
                  <ResultOverlay
                    results={resultsOf(analysis.results, shown)}
                    view={analysis.view}
                    onHighlight={(highlight) => analysis.update({ highlight })}
                  />
                )}
              </div>
            </TransformComponent>
          </TransformWrapper>
        ) : url === null ? (
          <Center h="100%">
            <Text c="dimmed">
              The original of this image is not on this device. It may have come from another device
              that syncs results only; its analysis results are in the side panel.
            </Text>
          </Center>
        ) : (
          <Center h="100%">
            <Loader aria-label="Loading image" />
          </Center>
        )}
      </div>
      {infoOpen ? (
        <aside className={classes.panel} aria-label="Image details">
          <Tabs value={tab} onChange={(value) => value && setTab(value)} keepMounted={false}>
            <Tabs.List grow>
              <Tabs.Tab value="analysis">Analysis</Tabs.Tab>
              <Tabs.Tab value="details">Details</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="analysis">
              <AnalysisPanel
                image={image}
                edit={edit}
                analysis={analysis}
                onExportPerson={(kind) => void exportPerson(image, kind)}
              />
            </Tabs.Panel>
            <Tabs.Panel value="details">
              <MetadataPanel image={image} />
            </Tabs.Panel>
          </Tabs>
        </aside>
      ) : null}
    </Modal>
  )
}

function StepButton({
  side,
  label,
  onClick,
}: {
  side: 'left' | 'right'
  label: string
  onClick: (() => void) | undefined
}) {
  if (!onClick) return null
  const Icon = side === 'left' ? IconChevronLeft : IconChevronRight
  return (
    <ActionIcon
      className={classes.nav}
      style={{ [side]: 8 }}
      size="xl"
      radius="xl"
      variant="default"
      aria-label={label}
      onClick={onClick}
    >
      <Icon />
    </ActionIcon>
  )
}

/** Only the results computed on the version shown: their coordinates are in its pixels. */
function resultsOf<T extends object>(results: T, source: ImageSource): T {
  return Object.fromEntries(
    Object.entries(results).filter(
      ([, result]) => (result as { source: string }).source === source,
    ),
  ) as T
}

/**
 * The object URL of the original or of its edited version (`revision` names which save):
 * undefined while loading, null when missing.
 */
function useImageUrl(
  id: string,
  source: ImageSource,
  revision?: number,
): string | null | undefined {
  const [loaded, setLoaded] = useState<{ key: string; url: string | null } | null>(null)
  const key = `${id}:${source}:${revision}`
  useEffect(() => {
    let live = true
    let made: string | undefined
    const db = getOrCreateDb()
    ;(source === 'edited' ? getEditedBlob(db, id) : getOriginal(db, id)).then(
      (blob) => {
        if (!live) return
        made = blob ? URL.createObjectURL(blob) : undefined
        setLoaded({ key, url: made ?? null })
      },
      (err: unknown) => {
        console.error(err)
        if (live) setLoaded({ key, url: null })
      },
    )
    return () => {
      live = false
      if (made) URL.revokeObjectURL(made)
    }
  }, [id, source, key])
  return loaded?.key === key ? loaded.url : undefined
}
