'use client'

import { Button, Group, Modal, TextInput } from '@mantine/core'
import { useState } from 'react'
import { hasName } from '../../../models/errors'
import { getOrCreateDb, type ImageRecord } from '../../_data/db'
import { renameImage } from '../../_data/images'

/** Renames one image; remount it (key) for each image. */
export function RenameModal({ image, onClose }: { image: ImageRecord | null; onClose(): void }) {
  const [name, setName] = useState(image?.name ?? '')
  const [error, setError] = useState<string | null>(null)

  const submit = async () => {
    if (!image) return
    try {
      await renameImage(getOrCreateDb(), image.id, name)
      onClose()
    } catch (err) {
      if (hasName(err, 'InvalidNameError')) setError(err.message)
      else throw err
    }
  }

  return (
    <Modal opened={image !== null} onClose={onClose} title="Rename image">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={error}
          data-autofocus
          onFocus={(e) => {
            const dot = e.currentTarget.value.lastIndexOf('.')
            e.currentTarget.setSelectionRange(0, dot > 0 ? dot : e.currentTarget.value.length)
          }}
        />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit">Rename</Button>
        </Group>
      </form>
    </Modal>
  )
}
