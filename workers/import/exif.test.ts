import { readFileSync } from 'node:fs'
import { readExif, toLocalIso } from './exif'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

describe(readExif, () => {
  it('summarizes the camera, lens, time, exposure and position written by exiftool', async () => {
    expect(await readExif(fixture('exif-orientation-6.jpg'))).toEqual({
      make: 'FUJIFILM',
      model: 'X-T30',
      lens: 'FUJIFILM XF35mmF2 R WR',
      takenAt: '2023-07-14T18:32:05',
      gps: {
        latitude: expect.closeTo(-22.9519, 6),
        longitude: expect.closeTo(-43.2105, 6),
        altitude: 700,
      },
      iso: 400,
      exposureTimeS: 0.004,
      fNumber: 5.6,
      focalLengthMm: 35,
      software: 'make-fixtures.sh',
    })
  })

  it('reads the fields a real photo has and leaves the rest out', async () => {
    expect(await readExif(fixture('squirrel.jpg'))).toEqual({ software: 'Shotwell 0.28.4' })
  })

  it('reads from a Blob', async () => {
    const blob = new Blob([fixture('exif-orientation-6.jpg')])
    expect(await readExif(blob)).toMatchObject({ model: 'X-T30' })
  })

  it.each([
    'rocket.jpg',
    'chelsea.png',
    'squirrel.webp',
    'fruits.bmp',
    'corrupt.jpg',
    'truncated.jpg',
  ])('returns {} for %s, which has no EXIF exifr can read', async (name) => {
    expect(await readExif(fixture(name))).toEqual({})
  })

  it('returns {} for EXIF cut off mid-block', async () => {
    const bytes = fixture('exif-orientation-6.jpg').subarray(0, 300)
    expect(await readExif(bytes)).toEqual({})
  })
})

describe(toLocalIso, () => {
  it('keeps the camera wall-clock time and invents no zone', () => {
    expect(toLocalIso('2023:07:14 18:32:05')).toBe('2023-07-14T18:32:05')
  })

  it('adds the EXIF offset when there is one', () => {
    expect(toLocalIso('2023:07:14 18:32:05', '-03:00')).toBe('2023-07-14T18:32:05-03:00')
  })

  it.each([
    '0000:00:00 00:00:00',
    '    :  :     :  :  ',
    '2023:13:01 00:00:00',
    'yesterday',
    20230714,
  ])('returns undefined for %j', (value) => {
    expect(toLocalIso(value)).toBeUndefined()
  })
})
