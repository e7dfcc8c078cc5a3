import { formatBytes, formatEta, formatMegapixels } from './format'

describe(formatBytes, () => {
  it('uses decimal units with sensible precision', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1_500)).toBe('1.50 KB')
    expect(formatBytes(23_400_000)).toBe('23.4 MB')
    expect(formatBytes(200 * 1024 * 1024)).toBe('210 MB')
  })

  it('shows a dash for values that are not sizes', () => {
    expect(formatBytes(-1)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
  })
})

describe(formatEta, () => {
  it('rounds to seconds, minutes or hours', () => {
    expect(formatEta(800)).toBe('a moment')
    expect(formatEta(20_400)).toBe('about 20 s')
    expect(formatEta(150_000)).toBe('about 3 min')
    expect(formatEta(5_400_000)).toBe('about 1.5 h')
  })
})

describe(formatMegapixels, () => {
  it('gives megapixels with one decimal', () => {
    expect(formatMegapixels(4000, 3000)).toBe('12.0 MP')
  })
})
