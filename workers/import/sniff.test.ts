import { readFileSync } from 'node:fs'
import { readHeader, sniff } from './sniff'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

const whole = (name: string) => {
  const bytes = fixture(name)
  return sniff(bytes, { name, size: bytes.length })
}

/** A copy of a JPEG with `bytes` of APP15 padding before its frame header, as big XMP or ICC data would be. */
function withMetadataPadding(jpeg: Uint8Array, bytes: number): Uint8Array<ArrayBuffer> {
  const segments: Uint8Array[] = []
  for (let left = bytes; left > 0; left -= 65_533) {
    const payload = Math.min(65_533, left)
    const segment = new Uint8Array(4 + payload)
    segment.set([0xff, 0xef, (payload + 2) >> 8, (payload + 2) & 0xff])
    segments.push(segment)
  }
  return Uint8Array.from(Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]))
}

describe(sniff, () => {
  it.each([
    ['rocket.jpg', 'jpg', 'image/jpeg', 640, 427],
    ['portrait.jpg', 'jpg', 'image/jpeg', 256, 427],
    ['chelsea.png', 'png', 'image/png', 451, 300],
    ['camera.png', 'png', 'image/png', 512, 512],
    ['squirrel.webp', 'webp', 'image/webp', 535, 426],
    ['butterfly-animated.gif', 'gif', 'image/gif', 200, 144],
    ['fruits.bmp', 'bmp', 'image/bmp', 128, 120],
    ['chelsea.avif', 'avif', 'image/avif', 451, 300],
  ])('reads %s as %s, %s, %i × %i', (name, format, mime, width, height) => {
    expect(whole(name)).toEqual({ format, mime, width, height, orientation: 1 })
  })

  it('swaps width and height for EXIF orientation 6', () => {
    expect(whole('exif-orientation-6.jpg')).toMatchObject({
      width: 320,
      height: 480,
      orientation: 6,
    })
  })

  it('refuses HEIC with advice to export JPEG', () => {
    expect(() => whole('chelsea.heic')).toThrow(
      expect.objectContaining({
        name: 'UnsupportedFormatError',
        message: expect.stringMatching(/"chelsea\.heic" is HEIC.*Export it as JPEG/),
      }),
    )
  })

  it('names another known file type and lists the supported ones', () => {
    const tiff = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00])
    expect(() => sniff(tiff, { name: 'scan.tif', size: 8 })).toThrow(
      expect.objectContaining({
        name: 'UnsupportedFormatError',
        message: expect.stringMatching(/"scan\.tif" is TIFF.*JPEG, PNG, WebP, GIF, BMP, AVIF\./),
      }),
    )
  })

  it.each(['corrupt.jpg', 'not-an-image.png'])('calls %s not an image', (name) => {
    expect(() => whole(name)).toThrow(
      expect.objectContaining({
        name: 'CorruptImageError',
        message: expect.stringContaining(`"${name}" is not an image or is damaged`),
      }),
    )
  })

  it('calls an empty file empty', () => {
    expect(() => sniff(new Uint8Array(), { name: 'empty.jpg', size: 0 })).toThrow(
      expect.objectContaining({
        name: 'CorruptImageError',
        message: expect.stringContaining('empty'),
      }),
    )
  })

  it('returns undefined for a prefix that ends before the JPEG frame header', () => {
    const bytes = fixture('rocket.jpg')
    expect(sniff(bytes.subarray(0, 64), { name: 'rocket.jpg', size: bytes.length })).toBeUndefined()
  })

  it('calls a whole file damaged when its JPEG frame header is missing', () => {
    const cut = fixture('rocket.jpg').subarray(0, 64)
    expect(() => sniff(cut, { name: 'cut.jpg', size: cut.length })).toThrow(
      expect.objectContaining({
        name: 'CorruptImageError',
        message: expect.stringContaining('header'),
      }),
    )
  })

  it('reads a JPEG orientation that sits in the EXIF block', () => {
    const bytes = fixture('squirrel.jpg')
    expect(sniff(bytes, { name: 'squirrel.jpg', size: bytes.length })).toMatchObject({
      width: 535,
      height: 426,
      orientation: 1,
    })
  })
})

describe(readHeader, () => {
  it('reads a header from the first bytes of a file', async () => {
    const file = new File([fixture('exif-orientation-6.jpg')], 'exif.jpg')
    await expect(readHeader(file)).resolves.toMatchObject({ width: 320, height: 480 })
  })

  it('reads the whole file when metadata pushes the size past the first 256 KiB', async () => {
    const padded = withMetadataPadding(fixture('rocket.jpg'), 300_000)
    const file = new File([padded], 'padded.jpg')
    const header = sniff(padded.subarray(0, 256 * 1024), {
      name: 'padded.jpg',
      size: padded.length,
    })
    expect(header).toBeUndefined()
    await expect(readHeader(file)).resolves.toMatchObject({ width: 640, height: 427 })
  })

  it('refuses HEIC from the first bytes alone', async () => {
    const file = new File([fixture('chelsea.heic')], 'IMG_0001.HEIC')
    await expect(readHeader(file)).rejects.toMatchObject({ name: 'UnsupportedFormatError' })
  })
})
