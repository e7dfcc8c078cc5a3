import { checkLimits } from './limits'
import { importLimits } from './types'

const megabyte = 1024 * 1024

describe(checkLimits, () => {
  it('accepts a file at both limits', () => {
    expect(() =>
      checkLimits({ name: 'ok.jpg', bytes: importLimits.maxBytes, width: 10_000, height: 10_000 }),
    ).not.toThrow()
  })

  it('refuses a file over the byte limit, naming it, its size and the limit', () => {
    expect(() => checkLimits({ name: 'pano.tif.jpg', bytes: 250 * megabyte })).toThrow(
      expect.objectContaining({
        name: 'FileTooLargeError',
        message: expect.stringMatching(/^"pano\.tif\.jpg" is 250 MB; the limit is 200 MB\./),
      }),
    )
  })

  it('rounds a size just over the limit up, so it never reads as equal to it', () => {
    expect(() => checkLimits({ name: 'edge.jpg', bytes: importLimits.maxBytes + 1 })).toThrow(
      /is 200\.1 MB/,
    )
  })

  it('checks the byte size before the pixel count', () => {
    expect(() =>
      checkLimits({ name: 'both.jpg', bytes: 300 * megabyte, width: 20_000, height: 20_000 }),
    ).toThrow(expect.objectContaining({ name: 'FileTooLargeError' }))
  })

  it('refuses too many pixels, naming the size, megapixels and the limit', () => {
    expect(() =>
      checkLimits({ name: 'stitch.jpg', bytes: megabyte, width: 20_000, height: 6_000 }),
    ).toThrow(
      expect.objectContaining({
        name: 'TooManyPixelsError',
        message: expect.stringMatching(
          /^"stitch\.jpg" is 20000 × 6000 pixels \(120 MP\); the limit is 100 MP\./,
        ),
      }),
    )
  })
})
