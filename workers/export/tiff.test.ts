import exifr from 'exifr'
import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { MetadataError } from './errors'
import { readExif } from './containers'
import { prepareExif } from './tiff'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

const exifOf = (name: string) => readExif(fixture(name)) ?? new Uint8Array()

// Every entry exifr can read, untranslated, per IFD.
const allTags = (tiff: Uint8Array) =>
  exifr.parse(tiff, {
    ifd1: true,
    interop: true,
    makerNote: true,
    mergeOutput: false,
    translateValues: false,
    reviveValues: false,
  })

const hex = (text: string) =>
  Uint8Array.from(text.replace(/\s+/g, '').match(/../g) ?? [], (byte) => parseInt(byte, 16))

const contains = (haystack: Uint8Array, needle: Uint8Array) =>
  Buffer.from(haystack).indexOf(Buffer.from(needle)) >= 0

/** Appends an IFD1 that points at `thumbnail` (JPEG bytes), as cameras store their preview. */
function withThumbnail(tiff: Uint8Array, thumbnail: Uint8Array): Uint8Array {
  const little = tiff[0] === 0x49
  const ifd1 = tiff.length + (tiff.length & 1)
  const data = ifd1 + 2 + 3 * 12 + 4
  const out = new Uint8Array(data + thumbnail.length)
  out.set(tiff)
  out.set(thumbnail, data)
  const view = new DataView(out.buffer)
  const ifd0 = view.getUint32(4, little)
  view.setUint32(ifd0 + 2 + 12 * view.getUint16(ifd0, little), ifd1, little)
  view.setUint16(ifd1, 3, little)
  const entries = [
    [0x0103, 3, 6], // Compression: JPEG
    [0x0201, 4, data], // JPEGInterchangeFormat
    [0x0202, 4, thumbnail.length], // JPEGInterchangeFormatLength
  ] as const
  entries.forEach(([tag, type, value], i) => {
    const at = ifd1 + 2 + 12 * i
    view.setUint16(at, tag, little)
    view.setUint16(at + 2, type, little)
    view.setUint32(at + 4, 1, little)
    if (type === 3) view.setUint16(at + 8, value, little)
    else view.setUint32(at + 8, value, little)
  })
  return out
}

// Big-endian, by hand: a maker note holding a "preview", and pixel sizes stored as SHORT.
const withMakerNote = hex(`
  4d4d002a 00000008
  0002
    0112 0003 00000001 00060000
    8769 0004 00000001 00000026
  00000000
  0003
    927c 0007 00000010 00000050
    a002 0003 00000001 0fa00000
    a003 0003 00000001 0bb80000
  00000000
  70726576 69657720 6f662066 61636521
`)

// A Make whose 32 characters would lie past the end of the block.
const withBrokenMake = hex(`
  4d4d002a 00000008
  0002
    010f 0002 00000020 00000100
    0112 0003 00000001 00060000
  00000000
`)

describe(prepareExif, () => {
  it.each(['exif-orientation-6.jpg', 'dog.jpg', 'horses.jpg', 'squirrel.jpg'])(
    'copies every entry of %s but Orientation and the pixel size unchanged',
    async (name) => {
      const tiff = exifOf(name)
      const prepared = prepareExif(tiff, { width: 1234, height: 567 })
      const before = await allTags(tiff)
      const after = await allTags(prepared)
      expect(after.ifd0.Orientation).toBe(1)
      for (const tags of [before, after]) {
        delete tags.ifd0.Orientation
        delete tags.exif?.ExifImageWidth
        delete tags.exif?.ExifImageHeight
      }
      expect(after).toEqual(before)
    },
  )

  it.each([
    ['big-endian', 'exif-orientation-6.jpg', 'MM'],
    ['little-endian', 'sharp', 'II'],
  ])('keeps the byte order of a %s block and stores the new size', async (_, name, order) => {
    const tiff =
      name === 'sharp'
        ? (readExif(
            await sharp(fixture('fruits.jpg'))
              .resize(32)
              .withMetadata({ orientation: 8 })
              .jpeg()
              .toBuffer(),
          ) ?? new Uint8Array())
        : exifOf(name)
    const prepared = prepareExif(tiff, { width: 1234, height: 567 })
    expect(Buffer.from(prepared.subarray(0, 2)).toString('latin1')).toBe(order)
    const tags = await exifr.parse(prepared, { translateValues: false })
    expect(tags.Orientation).toBe(1)
    // exiftool wrote no pixel size into the fixture, and none is added.
    if (name === 'sharp') expect(tags).toMatchObject({ ExifImageWidth: 1234, ExifImageHeight: 567 })
    else expect(tags.ExifImageWidth).toBeUndefined()
  })

  it('drops the thumbnail (IFD1) and its bytes', async () => {
    const thumbnail = new Uint8Array(
      await sharp(fixture('fruits.jpg')).resize(16).jpeg().toBuffer(),
    )
    const tiff = withThumbnail(exifOf('exif-orientation-6.jpg'), thumbnail)
    expect(new Uint8Array((await exifr.thumbnail(tiff)) ?? [])).toEqual(thumbnail)

    const prepared = prepareExif(tiff, { width: 480, height: 320 })
    expect(await exifr.thumbnail(prepared)).toBeUndefined()
    expect((await allTags(prepared)).ifd1).toBeUndefined()
    expect(contains(prepared, thumbnail.subarray(200, 232))).toBe(false)
  })

  it('drops maker notes', async () => {
    expect(await allTags(withMakerNote)).toMatchObject({ makerNote: expect.any(Uint8Array) })
    const prepared = prepareExif(withMakerNote, { width: 800, height: 600 })
    expect(await allTags(prepared)).toEqual({
      ifd0: { Orientation: 1 },
      exif: { ExifImageWidth: 800, ExifImageHeight: 600 },
    })
    expect(contains(prepared, new TextEncoder().encode('preview'))).toBe(false)
  })

  it('drops entries whose values lie outside the block', async () => {
    expect((await allTags(withBrokenMake)).errors).toHaveLength(1)
    const prepared = prepareExif(withBrokenMake, { width: 800, height: 600 })
    expect(await allTags(prepared)).toEqual({ ifd0: { Orientation: 1 } })
  })

  it('stores a side over 65,535 pixels as LONG', async () => {
    const prepared = prepareExif(withMakerNote, { width: 70_000, height: 600 })
    expect((await allTags(prepared)).exif).toEqual({ ExifImageWidth: 70_000, ExifImageHeight: 600 })
  })

  it.each([
    ['text', new TextEncoder().encode('not a TIFF block')],
    ['a header without its IFD', hex('4d4d002a 00000008')],
    ['an IFD that runs past the end', hex('4d4d002a 00000008 0005 0112 0003 00000001 00060000')],
  ])('throws MetadataError for %s', (_, tiff) => {
    expect(() => prepareExif(tiff, { width: 1, height: 1 })).toThrow(MetadataError)
  })
})
