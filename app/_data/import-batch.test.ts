import { estimateRemainingMs, isLikelyImage, type ImportProgress } from './import-batch'

describe(isLikelyImage, () => {
  it('accepts files with an image MIME type whatever their name', () => {
    expect(isLikelyImage({ name: 'scan', type: 'image/png' })).toBe(true)
  })

  it('accepts image extensions when the browser gives no type', () => {
    for (const name of ['a.JPG', 'b.jpeg', 'c.heic', 'd.avif', 'e.tif']) {
      expect(isLikelyImage({ name, type: '' })).toBe(true)
    }
  })

  it('rejects other files, such as sidecars and documents', () => {
    expect(isLikelyImage({ name: 'IMG_0001.xmp', type: '' })).toBe(false)
    expect(isLikelyImage({ name: 'notes.txt', type: 'text/plain' })).toBe(false)
  })
})

describe(estimateRemainingMs, () => {
  const progress = (bytesDone: number, bytesTotal: number): ImportProgress => ({
    total: 10,
    done: 0,
    bytesTotal,
    bytesDone,
    startedAt: 1_000,
    added: 0,
    duplicates: [],
    failed: [],
    skipped: [],
  })

  it('has no estimate before anything is done', () => {
    expect(estimateRemainingMs(progress(0, 100), 5_000)).toBeUndefined()
  })

  it('extrapolates from the bytes done so far', () => {
    expect(estimateRemainingMs(progress(25, 100), 3_000)).toBe(6_000)
  })
})
