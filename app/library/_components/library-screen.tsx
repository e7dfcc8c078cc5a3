'use client'

import { Button, Center, Loader, Stack } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react'
import { getOrCreateDb, type ImageRecord } from '../../_data/db'
import { filterImages, sortImages } from '../../_data/query'
import { taskIds } from '../../../models'
import { useAnalysisQueue } from '../../_hooks/use-analysis-queue'
import { useDeleteWithUndo } from '../../_hooks/use-delete-with-undo'
import { useImages } from '../../_hooks/use-images'
import { useLibraryView } from '../../_hooks/use-library-view'
import {
  downloadAnalysis,
  downloadMetadata,
  downloadOriginal,
  downloadZip,
} from '../../_lib/library-actions'
import { emptySelection, select } from '../../_lib/selection'
import { BatchEditModal, removeEditsWithUndo } from './batch-edit-modal'
import { ImageViewer } from './image-viewer'
import { LibraryEmpty } from './library-empty'
import { LibraryToolbar } from './library-toolbar'
import { RenameModal } from './rename-modal'
import { SelectionBar } from './selection-bar'
import { TagEditor } from './tag-editor'
import { ThumbnailGrid } from './thumbnail-grid'
import { ImportPrompt } from './import-prompt'

export function LibraryScreen() {
  const all = useImages()
  const { view, update, isFiltered, clearFilters } = useLibraryView()
  const { enqueue } = useAnalysisQueue()
  const shown = useMemo(
    () => (all ? sortImages(filterImages(all, view), view.sortBy, view.sortDir) : []),
    [all, view],
  )
  const order = useMemo(() => shown.map((image) => image.id), [shown])
  const [selection, dispatch] = useReducer(select, emptySelection)
  const { remove } = useDeleteWithUndo()
  const [renaming, setRenaming] = useState<ImageRecord | null>(null)
  const [taggingIds, setTaggingIds] = useState<string[] | null>(null)
  const [batchEditing, setBatchEditing] = useState<ImageRecord[] | null>(null)

  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const viewingId = params.get('image')
  const viewingIndex = viewingId ? order.indexOf(viewingId) : -1

  useEffect(() => dispatch({ type: 'retain', order }), [order])

  // Grid callbacks read the latest list through a ref, so memoised cells are not re-rendered.
  const latest = useRef({ shown, order, selection })
  useLayoutEffect(() => {
    latest.current = { shown, order, selection }
  })

  /** Opens the viewer on an image; moving within the viewer replaces the history entry. */
  const openAt = useCallback(
    (index: number, replace = false) => {
      const image = latest.current.shown[index]
      if (!image) return
      const href = `${pathname}?${new URLSearchParams({ image: image.id })}`
      if (replace) router.replace(href)
      else router.push(href)
    },
    [pathname, router],
  )
  const closeViewer = useCallback(() => router.push(pathname), [pathname, router])

  const selectedIds = useCallback((fallbackIndex?: number) => {
    const { selection: s, order: o } = latest.current
    if (s.ids.size > 0) return o.filter((id) => s.ids.has(id))
    const id = fallbackIndex === undefined ? undefined : o[fallbackIndex]
    return id ? [id] : []
  }, [])

  const gridHandlers = useMemo(
    () => ({
      onSelect: (index: number, mods: { shift: boolean; toggle: boolean }) => {
        const id = latest.current.order[index]
        if (id) dispatch({ type: 'click', id, ...mods, order: latest.current.order })
      },
      onToggle: (index: number) => {
        const id = latest.current.order[index]
        if (id) dispatch({ type: 'toggle', id })
      },
      onOpen: (index: number) => openAt(index),
      onSelectAll: () => dispatch({ type: 'all', order: latest.current.order }),
      onClearSelection: () => dispatch({ type: 'clear' }),
      onDelete: (index: number) => void remove(selectedIds(index)),
      onRename: (index: number) => setRenaming(latest.current.shown[index] ?? null),
    }),
    [openAt, remove, selectedIds],
  )

  if (!all) {
    return (
      <Center h={240}>
        <Loader aria-label="Loading library" />
      </Center>
    )
  }

  const selectedImages = shown.filter((image) => selection.ids.has(image.id))
  const viewing = viewingIndex >= 0 ? shown[viewingIndex] : undefined

  return (
    <Stack gap="md" pb={selection.ids.size > 0 ? 96 : 'md'}>
      <LibraryToolbar
        view={view}
        onChange={update}
        total={all.length}
        shown={shown.length}
        onSelectAll={gridHandlers.onSelectAll}
      />
      {shown.length === 0 ? (
        <LibraryEmpty filtered={all.length > 0 && isFiltered} onClearFilters={clearFilters} />
      ) : (
        <ThumbnailGrid images={shown} selected={selection.ids} {...gridHandlers} />
      )}
      <SelectionBar
        count={selection.ids.size}
        onClear={gridHandlers.onClearSelection}
        onDelete={() => void remove(selectedIds())}
        onDownloadOriginal={
          selectedImages.length === 1
            ? () => void downloadOriginal(getOrCreateDb(), selectedImages[0]!)
            : undefined
        }
        onDownloadZip={() => void downloadZip(getOrCreateDb(), selectedImages)}
        onDownloadMetadata={() => downloadMetadata(selectedImages)}
        onDownloadAnalysis={() =>
          void downloadAnalysis(getOrCreateDb(), selectedImages, 'sightline-analysis.json')
        }
        onAnalyse={() => void enqueue(selectedIds(), taskIds)}
        onEditTags={() => setTaggingIds(selectedIds())}
        onRename={selectedImages.length === 1 ? () => setRenaming(selectedImages[0]!) : undefined}
        onPasteEdits={() => setBatchEditing(selectedImages)}
        onRemoveEdits={() => void revertToOriginals(selectedIds())}
      />
      {batchEditing ? (
        <BatchEditModal images={batchEditing} onClose={() => setBatchEditing(null)} />
      ) : null}
      {viewing ? (
        <ImageViewer
          image={viewing}
          position={{ index: viewingIndex, total: shown.length }}
          onPrevious={viewingIndex > 0 ? () => openAt(viewingIndex - 1, true) : undefined}
          onNext={
            viewingIndex < shown.length - 1 ? () => openAt(viewingIndex + 1, true) : undefined
          }
          onClose={closeViewer}
          onDelete={() => {
            const nextIndex = viewingIndex < shown.length - 1 ? viewingIndex + 1 : viewingIndex - 1
            void remove([viewing.id])
            if (nextIndex >= 0 && nextIndex !== viewingIndex) openAt(nextIndex, true)
            else closeViewer()
          }}
        />
      ) : null}
      <RenameModal key={renaming?.id} image={renaming} onClose={() => setRenaming(null)} />
      <TagEditor key={taggingIds?.join()} ids={taggingIds} onClose={() => setTaggingIds(null)} />
      <ImportPrompt
        opened={params.get('import') === '1'}
        onClose={() => router.replace(pathname)}
      />
    </Stack>
  )
}

async function revertToOriginals(ids: string[]) {
  try {
    const { count, undo } = await removeEditsWithUndo(ids)
    notifications.show({
      title: count === 0 ? 'No edits to remove' : `${count} back to the original`,
      message:
        count === 0 ? (
          'None of the selected images has edits.'
        ) : (
          <Button size="xs" variant="light" onClick={() => void undo()}>
            Undo
          </Button>
        ),
    })
  } catch (err) {
    notifications.show({
      color: 'red',
      title: 'Could not remove the edits',
      message: err instanceof Error ? err.message : String(err),
    })
  }
}
