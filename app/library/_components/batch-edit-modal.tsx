'use client'

import { Alert, Button, Group, List, Modal, Progress, Stack, Text } from '@mantine/core'
import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useRef, useState } from 'react'
import { renderVersion } from '../../../workers/transform-client'
import { applyToImages, type BatchOutcome, type BatchProgress } from '../../_data/batch-edit'
import { getOrCreateDb, type ImageRecord } from '../../_data/db'
import { removeEdits, restoreEdits } from '../../_data/edits'
import { formatEta } from '../../_lib/format'
import { readCopiedRecipe } from '../../_lib/recipe-clipboard'
import { operationInfo } from './editor/operation-info'

/** Pastes the copied edits onto the selected images as new edited versions, with progress and cancel. */
export function BatchEditModal({ images, onClose }: { images: ImageRecord[]; onClose(): void }) {
  const db = getOrCreateDb()
  const [copied] = useState(() => readCopiedRecipe())
  const [progress, setProgress] = useState<BatchProgress | null>(null)
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null)
  const [undone, setUndone] = useState(false)
  const controller = useRef<AbortController | null>(null)
  const edited = useLiveQuery(
    () =>
      db.edits
        .where('imageId')
        .anyOf(images.map((image) => image.id))
        .count(),
    [images],
  )
  useEffect(() => () => controller.current?.abort(), [])

  const start = async () => {
    if (!copied) return
    controller.current = new AbortController()
    setProgress({ done: 0, total: images.length, failed: 0 })
    const result = await applyToImages(
      db,
      controller.current.signal,
      images,
      copied,
      (signal, image, original, recipe) =>
        renderVersion(signal, image.id, original, image.orientation, recipe),
      { onProgress: setProgress },
    )
    setOutcome(result)
  }

  const undo = async () => {
    if (!outcome) return
    await removeEdits(db, outcome.added)
    await restoreEdits(db, outcome.replaced)
    setUndone(true)
  }

  const running = progress !== null && outcome === null
  return (
    <Modal
      opened
      onClose={running ? () => controller.current?.abort() : onClose}
      title={`Paste edits onto ${images.length} ${images.length === 1 ? 'image' : 'images'}`}
      centered
      closeOnClickOutside={!running}
    >
      {!copied ? (
        <Stack>
          <Text>
            Nothing is copied yet. Open an image, press Edit, and use “Copy edits” in the editor.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      ) : outcome ? (
        <Stack>
          <Text aria-live="polite">
            {undone
              ? 'Undone: the images are back as they were.'
              : `Saved ${outcome.saved} edited ${outcome.saved === 1 ? 'version' : 'versions'}.` +
                (outcome.cancelled ? ' Stopped before the rest; they are unchanged.' : '')}
          </Text>
          {outcome.storageFull ? (
            <Alert color="red" title="Storage is full">
              {outcome.storageFull}
            </Alert>
          ) : null}
          {outcome.failed.length > 0 ? (
            <Alert color="yellow" title={`${outcome.failed.length} could not be edited`}>
              <List size="sm">
                {outcome.failed.map(({ image, message }) => (
                  <List.Item key={image.id}>
                    {image.name}: {message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          <Group justify="flex-end">
            {!undone && outcome.saved > 0 ? (
              <Button variant="default" onClick={() => void undo()}>
                Undo
              </Button>
            ) : null}
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      ) : running ? (
        <Stack>
          <Progress
            value={(progress.done / progress.total) * 100}
            animated
            aria-label="Edits saved"
          />
          <Text fz="sm" aria-live="polite">
            {progress.done} of {progress.total}
            {progress.remainingMs !== undefined ? ` · ${formatEta(progress.remainingMs)} left` : ''}
            {progress.failed > 0 ? ` · ${progress.failed} failed` : ''}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => controller.current?.abort()}>
              Cancel
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Text fz="sm">Steps to apply:</Text>
          <List size="sm" type="ordered">
            {copied.map((operation, i) => (
              <List.Item key={i}>{operationInfo[operation.op].label}</List.Item>
            ))}
          </List>
          <Text fz="sm" c="dimmed">
            Each image gets a new edited version; its original stays as it is.
            {edited
              ? ` ${edited} already ${edited === 1 ? 'has' : 'have'} edits: they are replaced, except redactions.`
              : ''}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => void start()}>Apply to {images.length}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )
}

/** Takes the edits off images (back to their originals); the returned undo puts them back. */
export async function removeEditsWithUndo(ids: string[]) {
  const db = getOrCreateDb()
  const removed = await removeEdits(db, ids)
  return { count: removed.length, undo: () => restoreEdits(db, removed) }
}
