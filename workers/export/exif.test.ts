import exifr from 'exifr'
import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { MetadataError, prepareExif, readExif, withExif, type ExportMime } from './exif'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

// exifr reads EXIF from JPEG and PNG but not WebP; libvips's copy has JPEG's "Exif\0\0" in front.
async function exifOf(file: Uint8Array) {
  const { exif } = await sharp(file).metadata()
  if (!exif) return undefined
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif
  return exifr.parse(tiff, { gps: true, translateValues: false })
}

// Buffer.equals: toEqual walks large arrays element by element, which takes seconds.
const samePixels = async (a: Uint8Array, b: Uint8Array) =>
  (await sharp(a).raw().toBuffer()).equals(await sharp(b).raw().toBuffer())

// A camera photo as libvips writes one: little-endian EXIF with GPS (Paris), turned 90° (6).
const camera = {
  make: 'Sightline',
  model: 'Test Camera',
  latitude: 48 + 51 / 60 + 24 / 3600,
  longitude: 2 + 17 / 60 + 40 / 3600,
}
const formats = ['jpeg', 'png', 'webp'] as const
const photos = {} as Record<(typeof formats)[number], Buffer>

// What the browser's encoder gives: the edited pixels with no metadata at all.
const edited = sharp(fixture('fruits.jpg')).resize(80)
const encoders = {
  JPEG: ['image/jpeg', () => edited.clone().jpeg()],
  PNG: ['image/png', () => edited.clone().png()],
  'lossy WebP (VP8)': ['image/webp', () => edited.clone().webp()],
  'lossless WebP with alpha (VP8L)': [
    'image/webp',
    () => edited.clone().ensureAlpha(0.5).webp({ lossless: true }),
  ],
} satisfies Record<string, [ExportMime, () => sharp.Sharp]>
const encoded = {} as Record<keyof typeof encoders, Buffer>

beforeAll(async () => {
  const photo = sharp(fixture('butterfly.jpg'))
    .resize(48)
    .withExif({
      IFD0: { Make: camera.make, Model: camera.model },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2400/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4000/100',
      },
    })
    .withMetadata({ orientation: 6 })
  for (const format of formats) photos[format] = await photo.clone().toFormat(format).toBuffer()
  for (const [name, [, encode]] of Object.entries(encoders)) {
    encoded[name as keyof typeof encoders] = await encode().toBuffer()
  }
})

describe(readExif, () => {
  it.each(formats)('returns the TIFF block libvips wrote into a %s file', async (format) => {
    const file = photos[format]
    const { exif } = await sharp(file).metadata()
    const tiff = readExif(file)
    expect(tiff?.subarray(0, 4)).toEqual(Uint8Array.of(0x49, 0x49, 0x2a, 0))
    expect(tiff).toEqual(new Uint8Array(exif?.subarray(exif.indexOf('II*\0')) ?? []))
  })

  it('returns the big-endian block exiftool wrote', async () => {
    const tiff = readExif(fixture('exif-orientation-6.jpg'))
    expect(tiff?.subarray(0, 4)).toEqual(Uint8Array.of(0x4d, 0x4d, 0, 0x2a))
    expect(await exifr.parse(tiff ?? new Uint8Array())).toMatchObject({ Model: 'X-T30' })
  })

  it.each(['rocket.jpg', 'chelsea.png', 'squirrel.webp', 'fruits.bmp', 'not-an-image.png'])(
    'returns null for %s, which has no EXIF',
    (name) => {
      expect(readExif(fixture(name))).toBeNull()
    },
  )

  it.each(Object.keys(encoders) as (keyof typeof encoders)[])(
    'returns null for a %s from an encoder that writes no metadata',
    async (name) => {
      const file = encoded[name]
      expect(readExif(file)).toBeNull()
      expect((await sharp(file).metadata()).exif).toBeUndefined()
      if (!name.includes('WebP')) expect(await exifr.gps(file)).toBeUndefined()
    },
  )

  it('throws MetadataError when the EXIF segment is cut off', () => {
    expect(() => readExif(fixture('exif-orientation-6.jpg').subarray(0, 300))).toThrow(
      MetadataError,
    )
  })
})

describe(withExif, () => {
  it.each(Object.entries(encoders))(
    'puts GPS, camera and Orientation 1 into a %s that decodes to the same pixels',
    async (name, [mime]) => {
      const before = encoded[name as keyof typeof encoders]
      const { width = 0, height = 0 } = await sharp(before).metadata()
      const tiff = readExif(photos.jpeg)
      expect(await exifr.parse(tiff ?? new Uint8Array(), { translateValues: false })).toMatchObject(
        { Orientation: 6, ExifImageWidth: 48 },
      )
      const file = withExif(before, mime, prepareExif(tiff ?? new Uint8Array(), { width, height }))

      expect(await samePixels(file, before)).toBe(true)
      const metadata = await sharp(file).metadata()
      expect(metadata).toMatchObject({ width, height, orientation: 1 })
      expect(await exifOf(file)).toMatchObject({
        Make: camera.make,
        Model: camera.model,
        Orientation: 1,
        ExifImageWidth: width,
        ExifImageHeight: height,
        latitude: expect.closeTo(camera.latitude, 9),
        longitude: expect.closeTo(camera.longitude, 9),
      })
      if (mime !== 'image/webp') {
        expect(await exifr.gps(file)).toEqual({
          latitude: expect.closeTo(camera.latitude, 9),
          longitude: expect.closeTo(camera.longitude, 9),
        })
      }
    },
  )

  it('carries a big-endian block with a southern, western position across', async () => {
    const tiff = readExif(fixture('exif-orientation-6.jpg')) ?? new Uint8Array()
    const file = withExif(encoded.PNG, 'image/png', prepareExif(tiff, { width: 80, height: 75 }))
    expect(await exifr.parse(file, { translateValues: false })).toMatchObject({
      Make: 'FUJIFILM',
      Orientation: 1,
      latitude: expect.closeTo(-22.9519, 6),
      longitude: expect.closeTo(-43.2105, 6),
    })
  })
})

describe('reading damaged files', () => {
  // A fixed-seed generator (mulberry32), so a failure replays.
  function random(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
    }
  }

  /** Reads and rewrites; any failure must be a MetadataError. */
  function roundTrip(bytes: Uint8Array, mime: ExportMime): string {
    try {
      const tiff = readExif(bytes)
      if (!tiff) return 'none'
      withExif(bytes, mime, prepareExif(tiff, { width: 1, height: 1 }))
      return 'read'
    } catch (error) {
      if (error instanceof MetadataError) return 'MetadataError'
      throw error
    }
  }

  it.each(formats)(
    'returns null or throws MetadataError for a cut or corrupted %s file',
    (format) => {
      const mime = `image/${format}` as const
      const file = new Uint8Array(photos[format]) // not a Buffer, whose slice() shares memory
      const outcomes = new Set<string>()
      for (let length = 0; length < file.length; length += length < 1024 ? 1 : 61) {
        outcomes.add(roundTrip(file.subarray(0, length), mime))
      }
      const next = random(7)
      for (let i = 0; i < 1000; i++) {
        const bytes = file.slice()
        for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
          bytes[Math.floor(next() * Math.min(bytes.length, 600))] = Math.floor(next() * 256)
        }
        outcomes.add(roundTrip(bytes, mime))
      }
      // Damage reached all three outcomes, so the fuzzing exercised the parsers.
      expect([...outcomes].sort()).toEqual(['MetadataError', 'none', 'read'])
    },
  )
})
