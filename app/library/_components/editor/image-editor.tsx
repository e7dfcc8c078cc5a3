'use client'

import { Alert, Badge, Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core'
import { getHotkeyHandler, useElementSize } from '@mantine/hooks'
import { modals } from '@mantine/modals'
import { notifications } from '@mantine/notifications'
import { IconDownload } from '@tabler/icons-react'
import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useMemo, useReducer, useState } from 'react'
import { redactionRegions } from '../../../../models/_transform/redaction'
import type { Operation, OperationId, Recipe } from '../../../../models/_transform/recipe'
import { openEditSession, type EditSession } from '../../../../workers/transform-client'
import { resultsFor } from '../../../_data/analysis'
import { getOrCreateDb, type EditRecord, type ImageRecord } from '../../../_data/db'
import { getEdit, removeEdits, restoreEdits, saveEdit } from '../../../_data/edits'
import { getOriginal } from '../../../_data/images'
import { saveBlob } from '../../../_lib/download'
import { copyRecipe, pasteRecipe, readCopiedRecipe } from '../../../_lib/recipe-clipboard'
import { CompareSlider } from './compare-slider'
import { CornerEditor } from './corner-editor'
import { CropControls, aspectValue } from './crop-controls'
import { CropOverlay } from './crop-overlay'
import { ExportModal, exportName } from './export-modal'
import { createHistory, history, sameRecipe } from './history'
import classes from './image-editor.module.css'
import { createOperation } from './operation-info'
import { PageControls } from './page-controls'
import {
  defaultRecipe,
  isUnedited,
  isValidOrder,
  moveStep,
  removeStep,
  replaceStep,
  rotateQuarter,
  toggleFlip,
  withRedaction,
} from './recipe-edits'
import { RedactControls, RegionOutlines } from './redact-controls'
import { EditorToolbar } from './editor-toolbar'
import { StepControls } from './step-controls'
import { StepsList } from './steps-list'
import { useEditPreview } from './use-edit-preview'

/** The edit view of one image: loads its original and saved edit, then shows the editor. */
export function ImageEditor({ image, onClose }: { image: ImageRecord; onClose(): void }) {
  const db = getOrCreateDb()
  const original = useLiveQuery(async () => (await getOriginal(db, image.id)) ?? null, [image.id])
  const saved = useLiveQuery(async () => (await getEdit(db, image.id)) ?? null, [image.id])
  if (original === undefined || saved === undefined) {
    return (
      <Modal opened onClose={onClose} fullScreen title={`Edit ${image.name}`}>
        <Center h="60dvh">
          <Loader aria-label="Opening the editor" />
        </Center>
      </Modal>
    )
  }
  if (original === null) {
    return (
      <Modal opened onClose={onClose} title={`Edit ${image.name}`} centered>
        <Text>The original of this image is not on this device, so it cannot be edited here.</Text>
      </Modal>
    )
  }
  return <Editor image={image} original={original} saved={saved} onClose={onClose} />
}

function Editor({
  image,
  original,
  saved,
  onClose,
}: {
  image: ImageRecord
  original: Blob
  saved: EditRecord | null
  onClose(): void
}) {
  const db = getOrCreateDb()
  // One session per editor: the editor is mounted per image. Closing only lets the workers drop
  // the image; a later call opens it again.
  const [session] = useState<EditSession>(() =>
    openEditSession(image.id, original, image.orientation),
  )
  useEffect(() => () => session.close(), [session])
  const originalUrl = useObjectUrl(original)

  const [savedRecipe, setSavedRecipe] = useState<Recipe>(saved?.operations ?? defaultRecipe)
  const [state, dispatch] = useReducer(history, savedRecipe, createHistory)
  const recipe = state.present
  const [active, setActive] = useState<number | null>(null)
  const [compare, setCompare] = useState(false)
  const [cropAspect, setCropAspect] = useState('free')
  const [exporting, setExporting] = useState(false)
  const [saving, setSaving] = useState(false)
  const [working, setWorking] = useState<string | null>(null)
  const results = useLiveQuery(() => resultsFor(db, image.id), [image.id])

  const activeStep = active === null ? undefined : recipe[active]
  const stageRecipe = useMemo(() => {
    if (active === null || !activeStep) return recipe
    if (activeStep.op === 'crop' || activeStep.op === 'perspective') return recipe.slice(0, active)
    if (activeStep.op === 'redact') return recipe.slice(0, active + 1)
    return recipe
  }, [recipe, active, activeStep])
  const preview = useEditPreview(session, stageRecipe)
  const picture = preview.preview
  const dirty = !sameRecipe(recipe, savedRecipe)

  const set = (next: Recipe, commit = true) => dispatch({ type: 'set', recipe: next, commit })
  const setStep = (index: number, operation: Operation, commit = true) =>
    set(replaceStep(recipe, index, operation), commit)
  const append = (operation: Operation) => {
    set([...recipe, operation])
    setActive(recipe.length)
  }
  const addStep = (id: OperationId) => {
    if (id === 'crop') setCropAspect('free')
    append(createOperation(id))
  }

  const redact = (kinds: ('face' | 'text')[]) => {
    const face = results?.['face-detection']
    const text = results?.['text-recognition']
    // Regions are in the upright original's coordinates: results of an edited version do not fit.
    const regions = redactionRegions({
      faces: face?.source === 'original' ? face : undefined,
      text: text?.source === 'original' ? text : undefined,
    })
    if (!regions.some((region) => kinds.includes(region.kind))) {
      notifications.show({
        color: 'yellow',
        title: 'Nothing to redact yet',
        message:
          'Run face detection and text recognition on the original first (Analysis tab in the viewer).',
      })
      return
    }
    const existing = recipe.find((step) => step.op === 'redact')
    const style = existing?.op === 'redact' ? existing.style : 'blur'
    const next = withRedaction(recipe, {
      op: 'redact',
      style,
      regions: regions.map((region) => ({ ...region, enabled: kinds.includes(region.kind) })),
    })
    set(next.recipe)
    setActive(next.index)
  }

  const scanPage = async () => {
    setWorking('Looking for the page…')
    try {
      const found = await session.findPage(recipe)
      append(
        createOperation('perspective', {
          corners: found?.corners ?? [
            [0.1, 0.1],
            [0.9, 0.1],
            [0.9, 0.9],
            [0.1, 0.9],
          ],
        }),
      )
      if (!found) {
        notifications.show({
          color: 'yellow',
          title: 'No page found',
          message: "Drag the four corners onto the page's corners.",
        })
      }
    } catch (err) {
      showError('Could not look for the page', err)
    } finally {
      setWorking(null)
    }
  }

  const detectAgain = async (index: number) => {
    const step = recipe[index]
    if (step?.op !== 'perspective') return
    setWorking('Looking for the page…')
    try {
      const found = await session.findPage(recipe.slice(0, index))
      if (found) {
        setStep(index, { ...step, corners: found.corners })
      } else {
        notifications.show({
          color: 'yellow',
          title: 'No page found',
          message: 'Place the corners by hand.',
        })
      }
    } catch (err) {
      showError('Could not look for the page', err)
    } finally {
      setWorking(null)
    }
  }

  const levelText = async (index: number) => {
    setWorking('Measuring the text angle…')
    try {
      const degrees = await session.measureSkew(recipe.slice(0, index + 1))
      if (Math.abs(degrees) < 0.1) {
        notifications.show({ title: 'Already level', message: 'The text is straight.' })
        return
      }
      const next = [...recipe]
      next.splice(index + 1, 0, { op: 'rotate', degrees: round(degrees, 2), fill: 'white' })
      set(next)
    } catch (err) {
      showError('Could not measure the text angle', err)
    } finally {
      setWorking(null)
    }
  }

  const save = async () => {
    if (saving) return
    if (!isValidOrder(recipe)) return
    setSaving(true)
    try {
      if (isUnedited(recipe)) {
        const removed = await removeEdits(db, [image.id])
        if (removed.length > 0) {
          notifications.show({
            title: 'Back to the original',
            message: (
              <Button size="xs" variant="light" onClick={() => void restoreEdits(db, removed)}>
                Undo
              </Button>
            ),
          })
        }
      } else {
        const rendered = await session.renderVersion(recipe)
        const record = await saveEdit(db, image.id, recipe, rendered)
        notifications.show({
          color: 'green',
          title: 'Edit saved',
          message: `Version ${record.revision}, ${rendered.width} × ${rendered.height}. The original is unchanged.`,
        })
      }
      setSavedRecipe(recipe)
    } catch (err) {
      showError('Could not save the edit', err)
    } finally {
      setSaving(false)
    }
  }

  const close = () => {
    if (!dirty) return onClose()
    modals.openConfirmModal({
      title: 'Discard your changes?',
      children: <Text fz="sm">The edits since the last save will be lost.</Text>,
      labels: { confirm: 'Discard', cancel: 'Keep editing' },
      confirmProps: { color: 'red' },
      onConfirm: onClose,
    })
  }

  const paste = () => {
    const copied = readCopiedRecipe()
    if (!copied) {
      notifications.show({
        title: 'Nothing to paste',
        message: 'Copy the edits of another image first.',
      })
      return
    }
    set(pasteRecipe(recipe, copied))
    setActive(null)
  }

  const undo = () => {
    dispatch({ type: 'undo' })
    setActive(null)
  }
  const redo = () => {
    dispatch({ type: 'redo' })
    setActive(null)
  }

  const hotkeys = getHotkeyHandler([
    ['mod+Z', undo],
    ['mod+shift+Z', redo],
    ['mod+Y', redo],
    ['mod+S', () => void save()],
  ])

  const renderActive = (operation: Operation, index: number) => {
    switch (operation.op) {
      case 'crop':
        return picture ? (
          <CropControls
            aspect={cropAspect}
            rect={operation.rect}
            imageSize={picture}
            onAspect={(aspect, rect) => {
              setCropAspect(aspect)
              setStep(index, { ...operation, rect })
            }}
          />
        ) : null
      case 'perspective':
        return (
          <PageControls
            disabled={working !== null}
            onDetect={() => void detectAgain(index)}
            onLevel={() => void levelText(index)}
            binarized={recipe.slice(index + 1).some((step) => step.op === 'threshold')}
            onBinarize={(on) =>
              set(
                on
                  ? [...recipe, createOperation('threshold')]
                  : recipe.filter((step, i) => i <= index || step.op !== 'threshold'),
              )
            }
          />
        )
      case 'redact':
        return <RedactControls operation={operation} onChange={(next) => setStep(index, next)} />
      default:
        return (
          <StepControls
            operation={operation}
            onChange={(next, commit) => setStep(index, next, commit)}
          />
        )
    }
  }

  const overlay = () => {
    if (!picture || active === null || !activeStep || !preview.current) return null
    if (activeStep.op === 'crop') {
      return (
        <CropOverlay
          rect={activeStep.rect}
          aspect={aspectValue(cropAspect, picture)}
          imageSize={picture}
          onChange={(rect) => setStep(active, { ...activeStep, rect }, false)}
          onCommit={(rect) => setStep(active, { ...activeStep, rect })}
        />
      )
    }
    if (activeStep.op === 'perspective') {
      return (
        <CornerEditor
          corners={activeStep.corners}
          onChange={(corners) => setStep(active, { ...activeStep, corners }, false)}
          onCommit={(corners) => setStep(active, { ...activeStep, corners })}
        />
      )
    }
    if (activeStep.op === 'redact') {
      return (
        <RegionOutlines
          className={classes.region}
          operation={activeStep}
          onToggle={(i) =>
            setStep(active, {
              ...activeStep,
              regions: activeStep.regions.map((r, j) =>
                j === i ? { ...r, enabled: !r.enabled } : r,
              ),
            })
          }
        />
      )
    }
    return null
  }

  const { ref: stageRef, width: stageWidth, height: stageHeight } = useElementSize()
  const frame = picture ? fit(picture, stageWidth - 32, stageHeight - 32) : null
  const showCompare = compare && active === null && originalUrl && picture

  return (
    <Modal
      opened
      onClose={close}
      fullScreen
      padding={0}
      transitionProps={{ duration: 0 }}
      closeButtonProps={{ 'aria-label': 'Close the editor' }}
      title={
        <Group gap="xs" wrap="nowrap">
          <Text fw={600} truncate="end" maw={{ base: 140, sm: 420 }}>
            Edit {image.name}
          </Text>
          {dirty ? (
            <Badge variant="light" color="yellow">
              Unsaved
            </Badge>
          ) : null}
        </Group>
      }
      classNames={{ body: classes.body }}
      styles={{ title: { minWidth: 0 } }}
      onKeyDown={(event) => {
        if (event.target instanceof Element && event.target.closest('input, textarea')) return
        hotkeys(event)
        // The library's own Ctrl+Z (undo a delete) listens on the window: this one is the editor's.
        if (event.defaultPrevented) event.stopPropagation()
      }}
    >
      <div className={classes.stage} ref={stageRef} aria-label="Edited image" role="region">
        {picture && frame ? (
          <div className={classes.frame} style={{ width: frame.width, height: frame.height }}>
            {showCompare && originalUrl ? (
              <CompareSlider before={originalUrl} after={picture.url} alt={image.name} />
            ) : (
              // eslint-disable-next-line @next/next/no-img-element -- a local object URL
              <img
                src={picture.url}
                alt={`${image.name}, edited`}
                draggable={false}
                data-resolution={picture.resolution}
                data-current={preview.current || undefined}
              />
            )}
            {overlay()}
          </div>
        ) : preview.error ? null : (
          <Loader aria-label="Rendering" />
        )}
        <Group gap={6} className={classes.status}>
          {preview.busy || working ? <Loader size="xs" aria-label="Rendering" /> : null}
          {working ? <Text fz="xs">{working}</Text> : null}
          {picture && !preview.busy ? (
            <Badge variant="default" size="sm">
              {picture.resolution === 'full' ? 'Full resolution' : 'Preview'} · {picture.width} ×{' '}
              {picture.height}
            </Badge>
          ) : null}
        </Group>
        {preview.error ? (
          <Alert color="red" title="Could not render this edit" pos="absolute" top={12} maw={480}>
            {preview.error.message}
          </Alert>
        ) : null}
      </div>
      <aside className={classes.panel} aria-label="Edit steps and tools">
        <div className={classes.panelScroll}>
          <Stack gap="md">
            <EditorToolbar
              canUndo={state.past.length > 0 || Boolean(state.pending)}
              canRedo={state.future.length > 0}
              canReset={!isUnedited(recipe)}
              compare={compare}
              busy={working !== null}
              onUndo={undo}
              onRedo={redo}
              onReset={() => {
                dispatch({ type: 'reset', recipe: defaultRecipe })
                setActive(null)
              }}
              onCompare={() => {
                setCompare(!compare)
                setActive(null)
              }}
              onCopy={() => {
                const copied = copyRecipe(recipe)
                notifications.show({
                  title: 'Edits copied',
                  message: `${copied.length} steps, ready to paste onto other images.`,
                })
              }}
              onPaste={paste}
              onRotate={(by) => set(rotateQuarter(recipe, by))}
              onFlip={(axis) => set(toggleFlip(recipe, axis))}
              onScan={() => void scanPage()}
              onRedact={redact}
              onAdd={addStep}
            />
            <StepsList
              recipe={recipe}
              active={active}
              onSelect={setActive}
              onMove={(index, by) => {
                const next = moveStep(recipe, index, by)
                if (next) {
                  set(next)
                  if (active === index) setActive(index + by)
                } else {
                  notifications.show({
                    color: 'yellow',
                    title: 'Cannot move that step there',
                    message: 'A redaction must come before steps that move pixels.',
                  })
                }
              }}
              onRemove={(index) => {
                set(removeStep(recipe, index))
                setActive(null)
              }}
              renderActive={renderActive}
            />
          </Stack>
        </div>
        <Group className={classes.panelFooter} justify="space-between">
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            onClick={() => setExporting(true)}
          >
            Export…
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={close}>
              Close
            </Button>
            <Button onClick={() => void save()} loading={saving} disabled={!dirty}>
              Save
            </Button>
          </Group>
        </Group>
      </aside>
      {exporting ? (
        <ExportModal
          name={image.name}
          onClose={() => setExporting(false)}
          onExport={async (choice) => {
            const blob = await session.exportImage(
              recipe,
              choice.type,
              choice.quality,
              choice.keepMetadata,
            )
            saveBlob(blob, exportName(image.name, choice.type))
          }}
        />
      ) : null}
    </Modal>
  )
}

/** The largest size of `image`'s aspect inside `width` × `height`, in CSS pixels. */
function fit(image: { width: number; height: number }, width: number, height: number) {
  const scale = Math.min(width / image.width, height / image.height)
  if (!(scale > 0)) return null
  return { width: Math.round(image.width * scale), height: Math.round(image.height * scale) }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits))
}

function showError(title: string, err: unknown) {
  console.error(err)
  notifications.show({
    color: 'red',
    title,
    message: err instanceof Error ? err.message : String(err),
  })
}

/** An object URL of `blob` for as long as the component shows it. */
function useObjectUrl(blob: Blob): string {
  const url = useMemo(() => URL.createObjectURL(blob), [blob])
  useEffect(() => () => URL.revokeObjectURL(url), [url])
  return url
}
