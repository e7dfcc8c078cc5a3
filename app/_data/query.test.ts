import { describe, expect, it } from 'vitest'
import type { ImageRecord } from './db'
import { filterImages, sortImages } from './query'

let nextId = 0
function image(fields: Partial<ImageRecord> = {}): ImageRecord {
  nextId++
  return {
    id: `id-${nextId}`,
    hash: nextId.toString(16).padStart(64, '0'),
    name: `image-${nextId}.jpg`,
    mime: 'image/jpeg',
    format: 'jpg',
    bytes: 1_000,
    width: 40,
    height: 30,
    orientation: 1,
    exif: {},
    tags: [],
    addedAt: 1_000,
    updatedAt: 1_000,
    thumbnailWidth: 40,
    thumbnailHeight: 30,
    ...fields,
  }
}

const names = (records: readonly ImageRecord[]) => records.map((record) => record.name)

describe(sortImages, () => {
  it('sorts names naturally and ignoring case', () => {
    const records = ['img10.jpg', 'IMG2.jpg', 'img1.jpg', 'Beach.jpg', 'apple.jpg'].map((name) =>
      image({ name }),
    )

    expect(names(sortImages(records, 'name', 'asc'))).toEqual([
      'apple.jpg',
      'Beach.jpg',
      'img1.jpg',
      'IMG2.jpg',
      'img10.jpg',
    ])
    expect(names(sortImages(records, 'name', 'desc'))).toEqual([
      'img10.jpg',
      'IMG2.jpg',
      'img1.jpg',
      'Beach.jpg',
      'apple.jpg',
    ])
  })

  it('puts images without a capture time last in both directions', () => {
    const records = [
      image({ name: 'none-1' }),
      image({ name: 'mid', takenAt: 2_000 }),
      image({ name: 'none-2' }),
      image({ name: 'early', takenAt: 1_000 }),
      image({ name: 'late', takenAt: 3_000 }),
    ]

    expect(names(sortImages(records, 'takenAt', 'asc'))).toEqual([
      'early',
      'mid',
      'late',
      'none-1',
      'none-2',
    ])
    expect(names(sortImages(records, 'takenAt', 'desc'))).toEqual([
      'late',
      'mid',
      'early',
      'none-1',
      'none-2',
    ])
  })

  it.each(['addedAt', 'bytes'] as const)('sorts by %s numerically', (by) => {
    const records = [image({ name: 'b', [by]: 20 }), image({ name: 'c', [by]: 100 })]
    records.unshift(image({ name: 'a', [by]: 3 }))

    expect(names(sortImages(records, by, 'asc'))).toEqual(['a', 'b', 'c'])
    expect(names(sortImages(records, by, 'desc'))).toEqual(['c', 'b', 'a'])
  })

  it('keeps the input order of ties and leaves the input alone', () => {
    const records = [image({ name: 'x', bytes: 5 }), image({ name: 'y', bytes: 5 })]
    const before = [...records]

    expect(names(sortImages(records, 'bytes', 'desc'))).toEqual(['x', 'y'])
    expect(records).toEqual(before)
  })

  it('sorts 5,000 records by each key', () => {
    const records = Array.from({ length: 5_000 }, (_, i) =>
      image({
        name: `IMG_${(i * 7919) % 5_000}.jpg`,
        bytes: (i * 104_729) % 9_973,
        addedAt: i,
        takenAt: i % 3 === 0 ? undefined : (i * 31) % 5_000,
      }),
    )

    const byName = sortImages(records, 'name', 'asc')
    expect(byName.slice(0, 3).map((record) => record.name)).toEqual([
      'IMG_0.jpg',
      'IMG_1.jpg',
      'IMG_2.jpg',
    ])
    const byTakenAt = sortImages(records, 'takenAt', 'desc')
    expect(byTakenAt.at(-1)!.takenAt).toBeUndefined()
    expect(byTakenAt[0]!.takenAt).toBe(Math.max(...records.map((r) => r.takenAt ?? -1)))
  })
})

describe(filterImages, () => {
  const beach = image({ name: 'Beach Day.JPG', tags: ['beach', 'sun'], format: 'jpg' })
  const sunset = image({ name: 'sunset.png', tags: ['sun'], format: 'png', mime: 'image/png' })
  const cafe = image({ name: 'Cafe\u0301.webp', tags: [], format: 'webp', mime: 'image/webp' })
  const records = [beach, sunset, cafe]

  it('returns everything for an empty filter', () => {
    expect(filterImages(records, {})).toEqual(records)
    expect(filterImages(records, { tags: [], formats: [], text: '  ' })).toEqual(records)
  })

  it('keeps images that carry every tag', () => {
    expect(filterImages(records, { tags: ['sun'] })).toEqual([beach, sunset])
    expect(filterImages(records, { tags: ['sun', ' Beach'] })).toEqual([beach])
    expect(filterImages(records, { tags: ['sun', 'snow'] })).toEqual([])
  })

  it('keeps images in any of the formats', () => {
    expect(filterImages(records, { formats: ['png', 'webp'] })).toEqual([sunset, cafe])
  })

  it('matches text anywhere in the name, ignoring case and Unicode form', () => {
    expect(filterImages(records, { text: ' day.jp ' })).toEqual([beach])
    expect(filterImages(records, { text: 'CAF\u00c9' })).toEqual([cafe])
  })

  it('combines criteria', () => {
    expect(filterImages(records, { tags: ['sun'], formats: ['png'], text: 'SUN' })).toEqual([
      sunset,
    ])
    expect(filterImages(records, { tags: ['beach'], formats: ['png'] })).toEqual([])
  })
})
