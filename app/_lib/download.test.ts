import { readFileSync } from 'node:fs'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import type { ImageRecord } from '../_data/db'
import { metadataJson, safeFileName, uniqueNames, zipImages } from './download'

function fixture(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))
}

/** The archive's files as base64, which vitest compares far faster than large byte arrays. */
async function unzip(blob: Blob): Promise<Record<string, string>> {
  const files = unzipSync(new Uint8Array(await blob.arrayBuffer()))
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, base64(bytes)]))
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

describe(zipImages, () => {
  const butterfly = fixture('butterfly.jpg')
  const squirrel = fixture('squirrel.webp')
  const camera = fixture('camera.png')

  it('packs the files byte for byte under their names', async () => {
    const zip = await zipImages([
      { name: 'butterfly.jpg', blob: new Blob([butterfly]), modifiedAt: Date.UTC(2021, 2, 4) },
      { name: 'squirrel.webp', blob: new Blob([squirrel]) },
      { name: 'café 写真.png', blob: new Blob([camera]) },
    ])

    expect(zip.type).toBe('application/zip')
    expect(await unzip(zip)).toEqual({
      'butterfly.jpg': base64(butterfly),
      'squirrel.webp': base64(squirrel),
      'café 写真.png': base64(camera),
    })
  })

  it('stores the files without compressing them', async () => {
    const zip = await zipImages([{ name: 'camera.png', blob: new Blob([camera]) }])
    const bytes = new Uint8Array(await zip.arrayBuffer())
    const view = new DataView(bytes.buffer)

    expect(view.getUint32(0, true)).toBe(0x04034b50) // local file header
    expect(view.getUint16(8, true)).toBe(0) // compression method: stored
    expect(bytes.length).toBeLessThan(camera.length + 200)
  })

  it('makes repeated names unique and unsafe names safe', async () => {
    const zip = await zipImages(
      ['a.jpg', 'A.JPG', 'a.jpg', '../etc/passwd', 'CON.jpg'].map((name) => ({
        name,
        blob: new Blob([butterfly]),
      })),
    )

    expect(Object.keys(await unzip(zip))).toEqual([
      'a.jpg',
      'A (2).JPG',
      'a (3).jpg',
      '___etc_passwd',
      '_CON.jpg',
    ])
  })

  it('reports progress up to the total bytes', async () => {
    const progress: [number, number][] = []
    const total = butterfly.length + squirrel.length

    await zipImages(
      [
        { name: 'a.jpg', blob: new Blob([butterfly]) },
        { name: 'b.webp', blob: new Blob([squirrel]) },
      ],
      (done, totalBytes) => progress.push([done, totalBytes]),
    )

    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)).toEqual([total, total])
    expect(progress.every(([, totalBytes]) => totalBytes === total)).toBe(true)
    const done = progress.map(([d]) => d)
    expect(done).toEqual([...done].sort((a, b) => a - b))
  })

  it('accepts times a ZIP cannot hold, and empty files', async () => {
    const zip = await zipImages([
      { name: 'old.jpg', blob: new Blob([butterfly]), modifiedAt: 0 },
      { name: 'empty.txt', blob: new Blob([]) },
    ])

    expect(await unzip(zip)).toEqual({ 'old.jpg': base64(butterfly), 'empty.txt': '' })
  })

  it('gives a valid archive for no files', async () => {
    expect(await unzip(await zipImages([]))).toEqual({})
  })

  it('refuses more than a ZIP without ZIP64 can hold with ArchiveTooLargeError', async () => {
    const huge = new Blob([])
    Object.defineProperty(huge, 'size', { value: 5_000_000_000 })

    await expect(zipImages([{ name: 'huge.jpg', blob: huge }])).rejects.toMatchObject({
      name: 'ArchiveTooLargeError',
    })
  })
})

describe(uniqueNames, () => {
  it('numbers repeats from 2, case ignored, skipping names already taken', () => {
    expect(uniqueNames(['a.jpg', 'a (2).jpg', 'a.jpg', 'A.jpg', 'notes', 'notes'])).toEqual([
      'a.jpg',
      'a (2).jpg',
      'a (3).jpg',
      'A (4).jpg',
      'notes',
      'notes (2)',
    ])
  })
})

describe(safeFileName, () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['a/b\\c:d*e?f"g<h>i|j.jpg', 'a_b_c_d_e_f_g_h_i_j.jpg'],
    ['tab\there\u0000.jpg', 'tab_here_.jpg'],
    ['..', '__'],
    ['.hidden.jpg', '_hidden.jpg'],
    ['trailing. . ', 'trailing'],
    ['  ', 'image'],
    ['nul', '_nul'],
    ['LPT1.txt', '_LPT1.txt'],
    ['console.jpg', 'console.jpg'],
  ])('turns %j into %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe)
  })
})

describe(metadataJson, () => {
  const record: ImageRecord = {
    tags: ['beach'],
    exif: {
      software: 'GIMP',
      gps: { altitude: 12, longitude: 2.35, latitude: 48.85 },
      make: 'Canon',
      takenAt: '2021-03-04T12:34:56',
    },
    thumbnailHeight: 288,
    thumbnailWidth: 384,
    takenAt: Date.UTC(2021, 2, 4, 12, 34, 56),
    updatedAt: Date.UTC(2024, 0, 2),
    addedAt: Date.UTC(2024, 0, 1),
    orientation: 6,
    height: 3000,
    width: 4000,
    bytes: 123_456,
    format: 'jpg',
    mime: 'image/jpeg',
    name: 'beach.jpg',
    hash: 'ab'.repeat(32),
    id: 'id-1',
  }

  it('writes pretty JSON with fields in a fixed order', async () => {
    const blob = metadataJson([record])
    const text = await blob.text()
    const parsed = JSON.parse(text)

    expect(blob.type).toBe('application/json')
    expect(text).toContain('\n  "images": [\n')
    expect(Object.keys(parsed)).toEqual(['format', 'version', 'images'])
    expect(Object.keys(parsed.images[0])).toEqual([
      'id',
      'name',
      'format',
      'mime',
      'bytes',
      'width',
      'height',
      'orientation',
      'sha256',
      'tags',
      'addedAt',
      'updatedAt',
      'exif',
    ])
    expect(Object.keys(parsed.images[0].exif)).toEqual(['make', 'takenAt', 'gps', 'software'])
    expect(Object.keys(parsed.images[0].exif.gps)).toEqual(['latitude', 'longitude', 'altitude'])
    expect(parsed.images[0]).toMatchObject({
      addedAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-02T00:00:00.000Z',
      sha256: record.hash,
    })
  })

  it('gives the same text for records whose fields were set in another order', async () => {
    const reordered = Object.fromEntries(Object.entries(record).reverse()) as ImageRecord

    expect(await metadataJson([reordered]).text()).toBe(await metadataJson([record]).text())
  })

  it('includes the deletion time of images in the trash', async () => {
    const parsed = JSON.parse(await metadataJson([{ ...record, deletedAt: 0 }]).text())

    expect(parsed.images[0].deletedAt).toBe('1970-01-01T00:00:00.000Z')
  })
})
