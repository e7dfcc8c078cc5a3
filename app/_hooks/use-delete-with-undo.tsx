'use client'

import { Button, Group, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useCallback, useEffect, useRef } from 'react'
import { getOrCreateDb } from '../_data/db'
import { purgeTrash, restoreImages, trashImages } from '../_data/images'
import { forgetThumbnailUrl } from '../_data/thumbnail-urls'

/** How long a deletion can be undone before the images and their bytes are gone. */
export const undoWindowMs = 10_000

/**
 * Deletes images softly, offers Undo (button and Ctrl/Cmd+Z) for `undoWindowMs`, then purges.
 * Anything left in the trash by a closed tab is purged on the next visit.
 */
export function useDeleteWithUndo() {
  const last = useRef<{ ids: string[]; notificationId: string } | null>(null)

  const undo = useCallback(async () => {
    const entry = last.current
    if (!entry) return
    last.current = null
    notifications.hide(entry.notificationId)
    await restoreImages(getOrCreateDb(), entry.ids)
    notifications.show({
      message: `Restored ${plural(entry.ids.length)}.`,
      color: 'teal',
      autoClose: 3000,
    })
  }, [])

  const remove = useCallback(
    async (ids: readonly string[]) => {
      if (ids.length === 0) return
      const db = getOrCreateDb()
      await trashImages(db, [...ids])
      const notificationId = `delete-${Date.now()}`
      last.current = { ids: [...ids], notificationId }
      notifications.show({
        id: notificationId,
        autoClose: undoWindowMs,
        withCloseButton: true,
        message: (
          <Group justify="space-between" wrap="nowrap">
            <Text fz="sm">Deleted {plural(ids.length)}.</Text>
            <Button size="compact-sm" variant="light" onClick={() => void undo()}>
              Undo
            </Button>
          </Group>
        ),
      })
      setTimeout(() => {
        void purgeTrash(db, undoWindowMs).then(() => ids.forEach(forgetThumbnailUrl))
      }, undoWindowMs + 1_000)
    },
    [undo],
  )

  useEffect(() => {
    void purgeTrash(getOrCreateDb(), undoWindowMs)
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      if (target?.closest('input, textarea, [contenteditable="true"]')) return
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
        if (!last.current) return
        event.preventDefault()
        void undo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [undo])

  return { remove, undo }
}

function plural(n: number): string {
  return n === 1 ? '1 image' : `${n} images`
}
