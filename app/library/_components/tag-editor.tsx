'use client'

import { Badge, Button, CloseButton, Group, Modal, Stack, TagsInput, Text } from '@mantine/core'
import { useLiveQuery } from 'dexie-react-hooks'
import { useState } from 'react'
import { hasName } from '../../../models/errors'
import { getOrCreateDb } from '../../_data/db'
import { addTags, removeTags } from '../../_data/images'
import { useTags } from '../../_hooks/use-images'

/** Adds tags to, and removes tags from, a set of images; remount it (key) for each set. */
export function TagEditor({ ids, onClose }: { ids: string[] | null; onClose(): void }) {
  const known = useTags()
  const [adding, setAdding] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)

  const current = useLiveQuery(async () => {
    if (!ids?.length) return []
    const records = await getOrCreateDb().images.bulkGet(ids)
    const counts = new Map<string, number>()
    for (const record of records) {
      for (const tag of record?.tags ?? []) counts.set(tag, (counts.get(tag) ?? 0) + 1)
    }
    return [...counts].sort(([a], [b]) => a.localeCompare(b))
  }, [ids])

  const count = ids?.length ?? 0
  const save = async () => {
    try {
      if (ids && adding.length) await addTags(getOrCreateDb(), ids, adding)
      onClose()
    } catch (err) {
      if (hasName(err, 'InvalidTagError')) setError(err.message)
      else throw err
    }
  }

  return (
    <Modal
      opened={ids !== null}
      onClose={onClose}
      title={count === 1 ? 'Tags of 1 image' : `Tags of ${count} images`}
    >
      <Stack>
        {current && current.length > 0 ? (
          <Group gap={6} aria-label="Current tags">
            {current.map(([tag, n]) => (
              <Badge
                key={tag}
                variant="light"
                rightSection={
                  <CloseButton
                    size="xs"
                    aria-label={`Remove tag ${tag}`}
                    onClick={() => ids && void removeTags(getOrCreateDb(), ids, [tag])}
                  />
                }
              >
                {tag}
                {count > 1 ? ` · ${n}` : ''}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text c="dimmed" fz="sm">
            No tags yet.
          </Text>
        )}
        <TagsInput
          label="Add tags"
          placeholder="Type a tag and press Enter"
          data={known.map((t) => t.tag)}
          value={adding}
          onChange={(value) => {
            setAdding(value)
            setError(null)
          }}
          error={error}
          maxLength={40}
          splitChars={[',']}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={() => void save()} disabled={adding.length === 0}>
            Add
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
