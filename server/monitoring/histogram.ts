/**
 * Latency histograms as plain arrays: `buckets[i]` counts the values in (bounds[i-1], bounds[i]]
 * (not cumulative), and one more bucket at the end counts those above the last bound (+Inf).
 */

/** Upper bounds of the browser's inference latency buckets, in ms; the app keeps an equal copy. */
export const inferenceBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]

/** Upper bounds of the gateway's request latency buckets, in ms (@hono/prometheus defaults). */
export const gatewayBoundsMs = [
  5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
]

/**
 * The q-quantile (0–1) of a histogram, interpolating linearly inside the bucket it falls in as
 * Prometheus' `histogram_quantile` does. The first bucket starts at 0; a quantile in the +Inf
 * bucket reports the last bound. Undefined when the histogram is empty.
 */
export function quantile(bounds: number[], buckets: number[], q: number): number | undefined {
  const total = buckets.reduce((sum, n) => sum + n, 0)
  if (total <= 0) return undefined
  const rank = Math.min(Math.max(q, 0), 1) * total
  let below = 0
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i] ?? 0
    if (n > 0 && below + n >= rank) {
      if (i >= bounds.length) return bounds.at(-1)
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0)
      const upper = bounds[i] ?? lower
      return lower + ((upper - lower) * (rank - below)) / n
    }
    below += n
  }
  return bounds.at(-1)
}

/** Element-wise sum; the result is as long as the longer array. */
export function addBuckets(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0))
}
