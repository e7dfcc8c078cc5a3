/** Counts a worker keeps between analyses and hands to the page with each run. */
export interface WorkerCounters {
  /** Model files read from Cache Storage. */
  cacheHits: number
  /** Model files downloaded. */
  cacheMisses: number
  /** Times WebGPU was wanted and WASM was used instead. */
  fallbacks: number
}

const counters: WorkerCounters = { cacheHits: 0, cacheMisses: 0, fallbacks: 0 }

/** Adds one to a counter of this worker. */
export function count(name: keyof WorkerCounters): void {
  counters[name]++
}

/** The counts since the last call, which are then reset. */
export function takeCounters(): WorkerCounters {
  const taken = { ...counters }
  counters.cacheHits = counters.cacheMisses = counters.fallbacks = 0
  return taken
}
