import { resize } from '../_shared/image'
import { hammingDistance, isNearDuplicate, perceptualHash } from './phash'

/** A smooth, structured test picture: blobs of colour over a diagonal gradient. */
function picture(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width
      const v = y / height
      const value =
        128 +
        60 * Math.sin(2 * Math.PI * (1.5 * u)) * Math.cos(2 * Math.PI * 0.8 * v) +
        40 * (u - v) +
        25 * Math.cos(2 * Math.PI * 2.5 * u * v)
      data.set([value, value * 0.8, 255 - value, 255], (y * width + x) * 4)
    }
  }
  return { data, width, height }
}

describe(perceptualHash, () => {
  it('gives 16 hex digits with about half the bits set', () => {
    const hash = perceptualHash(picture(200, 150))
    expect(hash).toMatch(/^[0-9a-f]{16}$/)
    const ones = hammingDistance(hash, '0000000000000000')
    expect(ones).toBeGreaterThanOrEqual(28)
    expect(ones).toBeLessThanOrEqual(36)
  })

  it('gives an image and its resized copies the same hash', () => {
    const image = picture(400, 300)
    const hash = perceptualHash(image)
    expect(perceptualHash(resize(image, 200, 150))).toBe(hash)
    expect(perceptualHash(resize(image, 640, 480))).toBe(hash)
  })

  it('does not take a mirrored picture for a near duplicate', () => {
    const image = picture(200, 150)
    const mirrored = new Uint8ClampedArray(image.data.length)
    for (let y = 0; y < 150; y++) {
      for (let x = 0; x < 200; x++) {
        mirrored.set(
          image.data.subarray((y * 200 + x) * 4, (y * 200 + x) * 4 + 4),
          (y * 200 + 199 - x) * 4,
        )
      }
    }
    const distance = hammingDistance(
      perceptualHash(image),
      perceptualHash({ data: mirrored, width: 200, height: 150 }),
    )
    expect(distance).toBeGreaterThan(10)
  })
})

describe(hammingDistance, () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0)
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64)
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2)
    expect(hammingDistance('0f0f0f0f0f0f0f0f', 'f0f0f0f0f0f0f0f0')).toBe(64)
    expect(hammingDistance('00000000000000a5', '0000000000000000')).toBe(4)
  })

  it('is symmetric and ignores letter case', () => {
    expect(hammingDistance('12345678abcdef00', '0fedcba987654321')).toBe(
      hammingDistance('0FEDCBA987654321', '12345678ABCDEF00'),
    )
  })

  it('rejects strings that are not 16 hex digits', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError)
    expect(() => hammingDistance('000000000000000g', '0000000000000000')).toThrow(
      /"000000000000000g"/,
    )
  })
})

describe(isNearDuplicate, () => {
  it('accepts up to 10 differing bits by default', () => {
    expect(isNearDuplicate('0000000000000000', '00000000000003ff')).toBe(true)
    expect(isNearDuplicate('0000000000000000', '00000000000007ff')).toBe(false)
  })

  it('takes another threshold', () => {
    expect(isNearDuplicate('0000000000000000', '000000000000000f', 3)).toBe(false)
    expect(isNearDuplicate('0000000000000000', '000000000000000f', 4)).toBe(true)
  })
})
