import { notifications } from '@mantine/notifications'
import type { ImageRecord, ResultRecord, SightlineDb } from '../_data/db'
import { hasName } from '../../models/errors'
import { getOriginal } from '../_data/images'
import { metadataJson, saveBlob, zipImages } from './download'
import { analysisJsonBlob, buildAnalysisExport } from './analysis-export'
import { formatBytes } from './format'

/** Saves one image's original file, byte for byte, under its library name. */
export async function downloadOriginal(db: SightlineDb, image: ImageRecord): Promise<void> {
  const blob = await getOriginal(db, image.id)
  if (!blob) {
    notifications.show({
      color: 'red',
      title: 'Original missing',
      message: `The original of ${image.name} is not in this browser's storage any more.`,
    })
    return
  }
  saveBlob(blob, image.name)
}

/** Zips the originals of a selection, with a progress notification. */
export async function downloadZip(db: SightlineDb, images: readonly ImageRecord[]): Promise<void> {
  const id = `zip-${Date.now()}`
  notifications.show({
    id,
    loading: true,
    autoClose: false,
    withCloseButton: false,
    title: 'Preparing ZIP',
    message: `Reading ${images.length} files`,
  })
  try {
    const entries = []
    const missing: string[] = []
    for (const image of images) {
      const blob = await getOriginal(db, image.id)
      if (blob) entries.push({ name: image.name, blob, modifiedAt: image.addedAt })
      else missing.push(image.name)
    }
    const zip = await zipImages(entries, (doneBytes, totalBytes) =>
      notifications.update({
        id,
        message: `${formatBytes(doneBytes)} of ${formatBytes(totalBytes)}`,
      }),
    )
    saveBlob(zip, `sightline-${stamp()}-${entries.length}-images.zip`)
    notifications.update({
      id,
      loading: false,
      autoClose: 4000,
      withCloseButton: true,
      color: missing.length ? 'yellow' : 'teal',
      title: 'ZIP ready',
      message: missing.length
        ? `${entries.length} files saved; ${missing.length} originals were missing.`
        : `${entries.length} files saved.`,
    })
  } catch (err) {
    console.error(err)
    notifications.update({
      id,
      loading: false,
      autoClose: false,
      withCloseButton: true,
      color: 'red',
      title: 'ZIP failed',
      message: hasName(err, 'ArchiveTooLargeError')
        ? err.message
        : 'The ZIP could not be made. Try fewer images at a time, or free some memory.',
    })
  }
}

/** Saves the metadata of a selection as JSON (no pixels). */
export function downloadMetadata(images: readonly ImageRecord[]): void {
  saveBlob(metadataJson([...images]), `sightline-${stamp()}-metadata.json`)
}

function stamp(): string {
  return new Date().toISOString().slice(0, 10)
}

/** Saves the stored analysis results of images as one JSON file (the format in README). */
export async function downloadAnalysis(
  db: SightlineDb,
  images: readonly ImageRecord[],
  filename: string,
): Promise<void> {
  const rows = await db.results
    .where('imageId')
    .anyOf(images.map((image) => image.id))
    .toArray()
  const byImage = new Map<string, ResultRecord[]>()
  for (const row of rows) byImage.set(row.imageId, [...(byImage.get(row.imageId) ?? []), row])
  const doc = buildAnalysisExport(
    images.map((image) => ({ image, results: byImage.get(image.id) ?? [] })),
  )
  saveBlob(analysisJsonBlob(doc), filename)
  if (rows.length === 0) {
    notifications.show({
      title: 'No results yet',
      message: 'None of these images has been analysed; the file lists them without results.',
    })
  }
}
