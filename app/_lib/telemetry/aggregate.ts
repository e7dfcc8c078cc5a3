import type { InferenceEvent } from '../../../workers/inference-client'
import { bucketIndex, inferenceBoundsMs } from './buckets'

/** One task, model and provider's runs in a period (the gateway's `POST /api/telemetry/inference`). */
export interface InferenceSeries {
  task: string
  model: string
  provider: 'webgpu' | 'wasm' | 'js'
  /** Runs, failed ones included. */
  count: number
  failures: number
  /** Total duration of the runs that succeeded, ms. */
  sumMs: number
  /** Successful runs per latency bucket (not cumulative), `inferenceBoundsMs` then +Inf. */
  buckets: number[]
}

/** The body of `POST /api/telemetry/inference`: figures only, never images, names or results. */
export interface InferenceBatch {
  release: string
  environment: string
  /** How long these figures were collected, ms. */
  periodMs: number
  series: InferenceSeries[]
  /** WebGPU → WASM fallbacks. */
  fallbacks: number
  /** Model files read from Cache Storage. */
  cacheHits: number
  /** Model files downloaded. */
  cacheMisses: number
  /** Most analysis calls in the pool at once. */
  maxQueueDepth: number
}

/** Most series in one batch (the gateway refuses more); runs of further series are not counted. */
export const maxSeries = 100

/** Inference figures of one period, summed in memory until they are sent. */
export interface InferenceAggregate {
  /** Adds what the inference client reported. */
  record(event: InferenceEvent): void
  /** True while there is nothing worth sending. */
  readonly isEmpty: boolean
  /** The figures since the last take as a batch (then starts a new period), or undefined when empty. */
  take(labels: { release: string; environment: string }, now?: number): InferenceBatch | undefined
  /** Adds a batch that could not be sent back into the current period. */
  putBack(batch: InferenceBatch, now?: number): void
}

const keyOf = (s: Pick<InferenceSeries, 'task' | 'model' | 'provider'>) =>
  `${s.task}\n${s.model}\n${s.provider}`

/**
 * An accumulator of inference figures with the gateway's histogram buckets; no I/O.
 *
 * @example
 * const aggregate = createInferenceAggregate()
 * observeInference(aggregate.record)
 * const batch = aggregate.take({ release, environment })
 */
export function createInferenceAggregate(start = Date.now()): InferenceAggregate {
  let periodStart = start
  let series = new Map<string, InferenceSeries>()
  let fallbacks = 0
  let cacheHits = 0
  let cacheMisses = 0
  let maxQueueDepth = 0

  function seriesFor(labels: Pick<InferenceSeries, 'task' | 'model' | 'provider'>) {
    const key = keyOf(labels)
    let found = series.get(key)
    if (!found && series.size < maxSeries) {
      found = {
        task: labels.task,
        model: labels.model,
        provider: labels.provider,
        count: 0,
        failures: 0,
        sumMs: 0,
        buckets: new Array<number>(inferenceBoundsMs.length + 1).fill(0),
      }
      series.set(key, found)
    }
    return found
  }

  function merge(from: InferenceSeries) {
    const into = seriesFor(from)
    if (!into) return
    into.count += from.count
    into.failures += from.failures
    into.sumMs += from.sumMs
    from.buckets.forEach((n, i) => (into.buckets[i] = (into.buckets[i] ?? 0) + n))
  }

  const isEmpty = () => series.size === 0 && fallbacks + cacheHits + cacheMisses === 0

  return {
    record(event) {
      if (event.type === 'queue') {
        maxQueueDepth = Math.max(maxQueueDepth, event.depth)
      } else if (event.type === 'counters') {
        fallbacks += event.counters.fallbacks
        cacheHits += event.counters.cacheHits
        cacheMisses += event.counters.cacheMisses
      } else {
        const into = seriesFor(event)
        if (!into) return
        into.count++
        if (!event.ok || event.durationMs === undefined) {
          into.failures++
        } else {
          const durationMs = Math.max(0, event.durationMs)
          into.sumMs += durationMs
          into.buckets[bucketIndex(durationMs)]!++
        }
      }
    },

    get isEmpty() {
      return isEmpty()
    },

    take(labels, now = Date.now()) {
      if (isEmpty()) return undefined
      const batch: InferenceBatch = {
        ...labels,
        periodMs: Math.max(0, Math.round(now - periodStart)),
        series: [...series.values()],
        fallbacks,
        cacheHits,
        cacheMisses,
        maxQueueDepth,
      }
      periodStart = now
      series = new Map()
      fallbacks = cacheHits = cacheMisses = maxQueueDepth = 0
      return batch
    },

    putBack(batch, now = Date.now()) {
      periodStart = Math.min(periodStart, now - batch.periodMs)
      for (const s of batch.series) merge(s)
      fallbacks += batch.fallbacks
      cacheHits += batch.cacheHits
      cacheMisses += batch.cacheMisses
      maxQueueDepth = Math.max(maxQueueDepth, batch.maxQueueDepth)
    },
  }
}
