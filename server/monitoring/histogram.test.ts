import { addBuckets, gatewayBoundsMs, inferenceBoundsMs, quantile } from './histogram'

describe('quantile', () => {
  const bounds = [10, 20, 50]

  it('is undefined for an empty histogram', () => {
    expect(quantile(bounds, [0, 0, 0, 0], 0.5)).toBeUndefined()
    expect(quantile(bounds, [], 0.5)).toBeUndefined()
  })

  it('interpolates linearly inside the bucket the rank falls in', () => {
    // 10 values in (10, 20]: the median is halfway through that bucket.
    expect(quantile(bounds, [0, 10, 0, 0], 0.5)).toBeCloseTo(15)
    // 4 values in [0, 10] and 4 in (10, 20]: p50 is the first bucket's top, p75 halfway up the second.
    expect(quantile(bounds, [4, 4, 0, 0], 0.5)).toBeCloseTo(10)
    expect(quantile(bounds, [4, 4, 0, 0], 0.75)).toBeCloseTo(15)
    expect(quantile(bounds, [1, 0, 0, 0], 0.95)).toBeCloseTo(9.5)
  })

  it('skips empty buckets and reports the last bound for the +Inf bucket', () => {
    expect(quantile(bounds, [0, 0, 2, 0], 0)).toBeCloseTo(20)
    expect(quantile(bounds, [1, 0, 0, 9], 0.95)).toBe(50)
    expect(quantile(bounds, [0, 0, 0, 3], 0.5)).toBe(50)
  })

  it('works on the inference bounds', () => {
    const buckets = [0, 0, 0, 2, 6, 4, 0, 0, 0, 0, 0, 0, 0]
    expect(buckets).toHaveLength(inferenceBoundsMs.length + 1)
    // 12 runs: p50 is rank 6, the 4th of 6 in (50, 100] → 50 + 50 × 4/6.
    expect(quantile(inferenceBoundsMs, buckets, 0.5)).toBeCloseTo(50 + (50 * 4) / 6)
    // p95 is rank 11.4, the 3.4th of 4 in (100, 250].
    expect(quantile(inferenceBoundsMs, buckets, 0.95)).toBeCloseTo(100 + (150 * 3.4) / 4)
  })
})

describe('addBuckets', () => {
  it('adds element-wise and keeps the longer length', () => {
    expect(addBuckets([1, 2, 3], [10, 20, 30])).toEqual([11, 22, 33])
    expect(addBuckets([1], [0, 5])).toEqual([1, 5])
    expect(addBuckets([], [])).toEqual([])
  })
})

it('has ascending bounds', () => {
  for (const bounds of [inferenceBoundsMs, gatewayBoundsMs]) {
    expect([...bounds].sort((a, b) => a - b)).toEqual(bounds)
  }
})
