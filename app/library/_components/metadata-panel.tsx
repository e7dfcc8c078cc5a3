'use client'

import { Alert, Anchor, Code, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core'
import { IconDevices } from '@tabler/icons-react'
import { notifications } from '@mantine/notifications'
import { useLiveQuery } from 'dexie-react-hooks'
import { useState, type ReactNode } from 'react'
import type { ExifSummary } from '../../../workers/import-client'
import { hasName } from '../../../models/errors'
import { getOrCreateDb, type ImageRecord } from '../../_data/db'
import { addTags, removeTags, renameImage } from '../../_data/images'
import { useTags } from '../../_hooks/use-images'
import { formatBytes, formatDateTime, formatMegapixels } from '../../_lib/format'

/** Name, tags and every stored fact about one image; name and tags are editable in place. */
export function MetadataPanel({ image }: { image: ImageRecord }) {
  const known = useTags()
  return (
    <Stack p="md" gap="md">
      <SyncNote imageId={image.id} />
      <NameField key={`${image.id}:${image.name}`} image={image} />
      <TagsInput
        label="Tags"
        placeholder="Add a tag"
        data={known.map((t) => t.tag)}
        value={image.tags}
        maxLength={40}
        splitChars={[',']}
        onChange={(next) => {
          const db = getOrCreateDb()
          const added = next.filter((t) => !image.tags.includes(t))
          const removed = image.tags.filter((t) => !next.includes(t))
          const report = (err: unknown) =>
            notifications.show({
              color: 'red',
              title: 'Tags not saved',
              message: hasName(err, 'InvalidTagError') ? err.message : 'Try again.',
            })
          if (added.length) addTags(db, [image.id], added).catch(report)
          if (removed.length) removeTags(db, [image.id], removed).catch(report)
        }}
      />
      <div>
        <Title order={3} fz="sm" mb={4}>
          Details
        </Title>
        <Table fz="sm" verticalSpacing={4} horizontalSpacing={0}>
          <Table.Tbody>
            {detailRows(image).map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th fw={500} c="dimmed" w={110} style={{ verticalAlign: 'top' }}>
                  {label}
                </Table.Th>
                <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Stack>
  )
}

function NameField({ image }: { image: ImageRecord }) {
  const [value, setValue] = useState(image.name)
  const [error, setError] = useState<string | null>(null)

  const commit = async () => {
    if (value === image.name) return
    try {
      await renameImage(getOrCreateDb(), image.id, value)
      setError(null)
    } catch (err) {
      if (hasName(err, 'InvalidNameError')) setError(err.message)
      else throw err
    }
  }

  return (
    <TextInput
      label="Name"
      value={value}
      error={error}
      onChange={(e) => setValue(e.currentTarget.value)}
      onBlur={() => void commit()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void commit()
        if (e.key === 'Escape' && value !== image.name) {
          e.stopPropagation()
          setValue(image.name)
        }
      }}
    />
  )
}

function detailRows(image: ImageRecord): [string, ReactNode][] {
  const exif = image.exif
  const rows: [string, ReactNode | undefined][] = [
    ['Type', `${image.format.toUpperCase()} · ${image.mime}`],
    ['File size', formatBytes(image.bytes)],
    [
      'Dimensions',
      `${image.width} × ${image.height} px (${formatMegapixels(image.width, image.height)})`,
    ],
    ['Added', formatDateTime(image.addedAt)],
    ['Taken', exif.takenAt ? exif.takenAt.replace('T', ' ') : undefined],
    ['Camera', [exif.make, exif.model].filter(Boolean).join(' ') || undefined],
    ['Lens', exif.lens],
    ['Exposure', exposure(exif)],
    ['Location', exif.gps ? <Location gps={exif.gps} /> : undefined],
    ['Software', exif.software],
    ['Orientation', image.orientation !== 1 ? `EXIF ${image.orientation}` : undefined],
    [
      'SHA-256',
      <Code key="hash" fz="xs" style={{ wordBreak: 'break-all' }}>
        {image.hash}
      </Code>,
    ],
  ]
  return rows.filter((row): row is [string, ReactNode] => row[1] !== undefined)
}

function exposure(exif: ExifSummary): string | undefined {
  const parts: string[] = []
  if (exif.exposureTimeS) {
    parts.push(
      exif.exposureTimeS >= 1
        ? `${exif.exposureTimeS} s`
        : `1/${Math.round(1 / exif.exposureTimeS)} s`,
    )
  }
  if (exif.fNumber) parts.push(`f/${exif.fNumber}`)
  if (exif.iso) parts.push(`ISO ${exif.iso}`)
  if (exif.focalLengthMm) parts.push(`${exif.focalLengthMm} mm`)
  return parts.length ? parts.join(' · ') : undefined
}

function Location({ gps }: { gps: NonNullable<ExifSummary['gps']> }) {
  const lat = gps.latitude.toFixed(5)
  const lon = gps.longitude.toFixed(5)
  return (
    <Text fz="sm" component="span">
      {lat}, {lon}
      {gps.altitude !== undefined ? ` · ${Math.round(gps.altitude)} m` : ''}{' '}
      <Anchor
        href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`}
        target="_blank"
        rel="noreferrer noopener"
        fz="sm"
      >
        Map
      </Anchor>
    </Text>
  )
}

/** Says when this image was also changed on another device (sync is last writer wins). */
function SyncNote({ imageId }: { imageId: string }) {
  const note = useLiveQuery(
    async () => (await getOrCreateDb().syncRecords.get(['image', imageId]))?.note,
    [imageId],
  )
  if (!note) return null
  return (
    <Alert
      color="blue"
      variant="light"
      icon={<IconDevices size={18} />}
      p="xs"
      data-testid="sync-note"
    >
      <Text fz="sm">
        {note.kind === 'edited-elsewhere'
          ? `Edited on another device ${formatDateTime(note.at)}; that version is shown.`
          : `Also edited on another device; your change from ${formatDateTime(note.at)} replaced it.`}
      </Text>
    </Alert>
  )
}
