/**
 * Upper bounds of the inference latency buckets, in ms; a last, implicit bucket counts the runs
 * above 30 s. Equal to `inferenceBoundsMs` in server/monitoring/histogram.ts (a test checks).
 */
export const inferenceBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]

/** The bucket a duration falls in: the first bound it does not exceed, else the last (+Inf). */
export function bucketIndex(durationMs: number): number {
  const at = inferenceBoundsMs.findIndex((bound) => durationMs <= bound)
  return at === -1 ? inferenceBoundsMs.length : at
}
