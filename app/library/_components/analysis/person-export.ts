import { notifications } from '@mantine/notifications'
import { composePerson } from '../../../../workers/inference-client'
import { getOrCreateDb, type ImageRecord } from '../../../_data/db'
import { getOriginal } from '../../../_data/images'
import { saveBlob } from '../../../_lib/download'

/** Saves the person cut-out or the blurred-background version of an analysed image. */
export async function exportPerson(image: ImageRecord, kind: 'cutout' | 'blur'): Promise<void> {
  const db = getOrCreateDb()
  const id = `person-${image.id}-${kind}`
  notifications.show({
    id,
    loading: true,
    autoClose: false,
    withCloseButton: false,
    title: 'Preparing image',
    message: image.name,
  })
  try {
    const [original, result] = await Promise.all([
      getOriginal(db, image.id),
      db.results.get([image.id, 'person-segmentation']),
    ])
    if (!original || !result) throw new Error('The image or its person mask is no longer stored.')
    const mask = (result.output as { mask: { width: number; height: number; data: Uint8Array } })
      .mask
    const png = await composePerson(new AbortController().signal, kind, original, mask)
    saveBlob(
      png,
      `${image.name.replace(/\.[^.]+$/, '')}-${kind === 'cutout' ? 'cutout' : 'blurred'}.png`,
    )
    notifications.hide(id)
  } catch (error) {
    console.error(error)
    notifications.update({
      id,
      loading: false,
      autoClose: 6000,
      withCloseButton: true,
      color: 'red',
      title: 'Could not prepare the image',
      message: error instanceof Error ? error.message : 'Try again.',
    })
  }
}
