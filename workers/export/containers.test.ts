import { readFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import { readExif, withExif } from './containers'
import { MetadataError } from './errors'
import { prepareExif } from './tiff'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

// Two different blocks: exiftool's (big-endian) and one as libvips writes it (little-endian).
const tiff = prepareExif(readExif(fixture('exif-orientation-6.jpg')) ?? new Uint8Array(), {
  width: 64,
  height: 60,
})
const otherTiff = prepareExif(readExif(fixture('horses.jpg')) ?? new Uint8Array(), {
  width: 64,
  height: 60,
})

const source = () => sharp(fixture('fruits.jpg')).resize(64)
const bytesOf = async (image: sharp.Sharp) => new Uint8Array(await image.toBuffer())
// Buffer.equals: toEqual walks large arrays element by element, which takes seconds.
const samePixels = async (a: Uint8Array, b: Uint8Array) =>
  (await sharp(a).raw().toBuffer()).equals(await sharp(b).raw().toBuffer())
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(b)
const text = (bytes: Uint8Array, at: number, length: number) =>
  Buffer.from(bytes.subarray(at, at + length)).toString('latin1')

/** Chunks of a PNG (big-endian sizes, CRC after) or WebP (little-endian sizes, padded to even). */
function chunksOf(file: Uint8Array, format: 'png' | 'webp') {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const chunks: { id: string; data: Uint8Array; crc?: number }[] = []
  let at = format === 'png' ? 8 : 12
  while (at < file.length) {
    if (format === 'png') {
      const size = view.getUint32(at)
      const data = file.subarray(at + 8, at + 8 + size)
      chunks.push({ id: text(file, at + 4, 4), data, crc: view.getUint32(at + 8 + size) })
      at += 12 + size
    } else {
      const size = view.getUint32(at + 4, true)
      chunks.push({ id: text(file, at, 4), data: file.subarray(at + 8, at + 8 + size) })
      at += 8 + size + (size & 1)
    }
  }
  expect(at).toBe(file.length)
  return chunks
}

describe(withExif, () => {
  it('puts APP1 right after the JFIF APP0 of a JPEG that has one', async () => {
    const encoded = fixture('fruits.jpg')
    const file = withExif(encoded, 'image/jpeg', tiff)
    expect(text(file, 0, 11)).toBe('\xff\xd8\xff\xe0\x00\x10JFIF\x00')
    expect(text(file, 20, 2)).toBe('\xff\xe1')
    expect(new DataView(file.buffer).getUint16(22)).toBe(2 + 6 + tiff.length)
    expect(text(file, 24, 6)).toBe('Exif\0\0')
    expect(file.subarray(30, 30 + tiff.length)).toEqual(tiff)
    expect(sameBytes(file.subarray(30 + tiff.length), encoded.subarray(20))).toBe(true)
    expect(await samePixels(file, encoded)).toBe(true)
  })

  it('puts APP1 right after SOI in a JPEG without JFIF', async () => {
    const encoded = await bytesOf(source().jpeg())
    const file = withExif(encoded, 'image/jpeg', tiff)
    expect(text(file, 0, 4)).toBe('\xff\xd8\xff\xe1')
    expect(new DataView(file.buffer).getUint16(4)).toBe(2 + 6 + tiff.length)
    expect(sameBytes(file.subarray(4 + 2 + 6 + tiff.length), encoded.subarray(2))).toBe(true)
    expect(await samePixels(file, encoded)).toBe(true)
  })

  it('writes one eXIf chunk, before the first IDAT, with a correct CRC', async () => {
    const encoded = await bytesOf(source().png())
    const chunks = chunksOf(withExif(encoded, 'image/png', tiff), 'png')
    const ids = chunks.map((c) => c.id)
    expect(ids.filter((id) => id === 'eXIf')).toHaveLength(1)
    expect(ids.indexOf('eXIf')).toBe(ids.indexOf('IDAT') - 1)
    expect(chunks.find((c) => c.id === 'eXIf')?.data).toEqual(tiff)
    for (const { id, data, crc } of chunks) {
      expect(crc).toBe(crc32(data, crc32(id)))
    }
  })

  it.each([
    ['lossy (VP8)', (image: sharp.Sharp) => image.webp()],
    [
      'lossless with alpha (VP8L)',
      (image: sharp.Sharp) => image.ensureAlpha(0.5).webp({ lossless: true }),
    ],
    ['lossy with alpha (VP8X + ALPH)', (image: sharp.Sharp) => image.ensureAlpha(0.5).webp()],
  ])('gives a %s WebP the VP8X header libwebp writes with EXIF', async (_, encode) => {
    const encoded = await bytesOf(encode(source()))
    const file = withExif(encoded, 'image/webp', tiff)
    // libwebp's own muxer, given the same pixels and EXIF to write, is the reference.
    const reference = chunksOf(
      await bytesOf(encode(source().withExif({ IFD0: { Make: 'x' } }))),
      'webp',
    )
    const chunks = chunksOf(file, 'webp')
    expect(chunks[0]).toEqual(reference[0])
    expect(chunks.map((c) => c.id)).toEqual(reference.map((c) => c.id))
    expect(chunks.at(-1)?.data).toEqual(tiff)
    expect(new DataView(file.buffer).getUint32(4, true)).toBe(file.length - 8)
    expect(await samePixels(file, encoded)).toBe(true)
  })

  it('pads an odd-sized EXIF chunk to an even size', async () => {
    const encoded = await bytesOf(source().webp())
    const odd = Uint8Array.of(...tiff, 0)
    const file = withExif(encoded, 'image/webp', odd)
    expect(file.length % 2).toBe(0)
    expect(file.at(-1)).toBe(0)
    expect(chunksOf(file, 'webp').at(-1)?.data).toEqual(odd)
    expect((await sharp(file).metadata()).exif?.length).toBe(odd.length)
    expect(await samePixels(file, encoded)).toBe(true)
  })

  it.each([
    ['image/jpeg', (image: sharp.Sharp) => image.jpeg()],
    ['image/png', (image: sharp.Sharp) => image.png()],
    ['image/webp', (image: sharp.Sharp) => image.webp()],
  ] as const)('replaces the EXIF a %s file already has', async (mime, encode) => {
    const encoded = await bytesOf(encode(source()))
    const file = withExif(withExif(encoded, mime, otherTiff), mime, tiff)
    expect(readExif(file)).toEqual(tiff)
    expect(Buffer.from(file).indexOf(Buffer.from(otherTiff.subarray(8, 40)))).toBe(-1)
    expect(file.length).toBe(withExif(encoded, mime, tiff).length)
  })

  it('fits EXIF of up to 65,527 bytes into a JPEG segment and no more', async () => {
    const encoded = await bytesOf(source().jpeg())
    const padded = (length: number) => Uint8Array.from({ length }, (_, i) => tiff[i] ?? 0)
    const file = withExif(encoded, 'image/jpeg', padded(65_527))
    expect(readExif(file)?.length).toBe(65_527)
    expect(() => withExif(encoded, 'image/jpeg', padded(65_528))).toThrow(MetadataError)
  })

  it.each([
    ['a PNG named as a JPEG', fixture('chelsea.png'), 'image/jpeg'],
    ['a JPEG named as a PNG', fixture('fruits.jpg'), 'image/png'],
    ['a JPEG named as a WebP', fixture('fruits.jpg'), 'image/webp'],
    ['a JPEG cut before its image data', fixture('rocket.jpg').subarray(0, 100), 'image/jpeg'],
    ['a PNG cut before IDAT', fixture('chelsea.png').subarray(0, 40), 'image/png'],
    ['a WebP cut inside its image data', fixture('squirrel.webp').subarray(0, 100), 'image/webp'],
  ] as const)('throws MetadataError for %s', (_, bytes, mime) => {
    expect(() => withExif(bytes, mime, tiff)).toThrow(MetadataError)
  })

  it('throws MetadataError for EXIF that is not a TIFF block', () => {
    const bytes = new TextEncoder().encode('Exif\0\0MM')
    expect(() => withExif(fixture('fruits.jpg'), 'image/jpeg', bytes)).toThrow(MetadataError)
  })
})
