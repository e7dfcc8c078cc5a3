import { inferenceBoundsMs as serverBoundsMs } from '../../../server/monitoring/histogram'
import { createInferenceAggregate, maxSeries } from './aggregate'
import { bucketIndex, inferenceBoundsMs } from './buckets'

const labels = { release: 'sightline@0.1.0', environment: 'test' }
const run = (durationMs: number | undefined, over: Record<string, unknown> = {}) =>
  ({
    type: 'run',
    task: 'object-detection',
    model: '1.1.0',
    provider: 'wasm',
    ok: durationMs !== undefined,
    durationMs,
    ...over,
  }) as const

describe('inferenceBoundsMs', () => {
  it('equals the gateway bounds', () => {
    expect(inferenceBoundsMs).toEqual(serverBoundsMs)
  })
})

describe(bucketIndex, () => {
  it('counts a duration in the first bucket whose bound it does not exceed', () => {
    expect(bucketIndex(0)).toBe(0)
    expect(bucketIndex(5)).toBe(0)
    expect(bucketIndex(5.01)).toBe(1)
    expect(bucketIndex(30_000)).toBe(11)
  })

  it('counts durations above the last bound in the +Inf bucket', () => {
    expect(bucketIndex(30_001)).toBe(12)
  })
})

describe(createInferenceAggregate, () => {
  it('sums runs per task, model and provider into 13 buckets', () => {
    const aggregate = createInferenceAggregate(1_000)
    aggregate.record(run(40))
    aggregate.record(run(60))
    aggregate.record(run(45_000))
    aggregate.record(run(undefined))
    aggregate.record(run(3, { provider: 'webgpu' }))
    const batch = aggregate.take(labels, 61_000)!
    expect(batch).toMatchObject({ ...labels, periodMs: 60_000 })
    expect(batch.series).toEqual([
      {
        task: 'object-detection',
        model: '1.1.0',
        provider: 'wasm',
        count: 4,
        failures: 1,
        sumMs: 45_100,
        buckets: [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1],
      },
      {
        task: 'object-detection',
        model: '1.1.0',
        provider: 'webgpu',
        count: 1,
        failures: 0,
        sumMs: 3,
        buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      },
    ])
  })

  it('keeps every series consistent: buckets sum to count − failures', () => {
    const aggregate = createInferenceAggregate()
    for (let i = 0; i < 50; i++) aggregate.record(run(i % 7 === 0 ? undefined : i * 97))
    for (const s of aggregate.take(labels)!.series) {
      expect(s.buckets.reduce((a, b) => a + b, 0)).toBe(s.count - s.failures)
      expect(s.buckets).toHaveLength(13)
    }
  })

  it('adds worker counters and keeps the deepest queue', () => {
    const aggregate = createInferenceAggregate()
    aggregate.record({ type: 'counters', counters: { cacheHits: 2, cacheMisses: 1, fallbacks: 0 } })
    aggregate.record({ type: 'counters', counters: { cacheHits: 1, cacheMisses: 0, fallbacks: 1 } })
    aggregate.record({ type: 'queue', depth: 3 })
    aggregate.record({ type: 'queue', depth: 1 })
    expect(aggregate.take(labels)).toMatchObject({
      series: [],
      cacheHits: 3,
      cacheMisses: 1,
      fallbacks: 1,
      maxQueueDepth: 3,
    })
  })

  it('is empty with nothing but queue depths, and takes nothing then', () => {
    const aggregate = createInferenceAggregate()
    expect(aggregate.isEmpty).toBe(true)
    aggregate.record({ type: 'queue', depth: 2 })
    expect(aggregate.isEmpty).toBe(true)
    expect(aggregate.take(labels)).toBeUndefined()
  })

  it('starts a new period after a take', () => {
    const aggregate = createInferenceAggregate(0)
    aggregate.record(run(10))
    aggregate.take(labels, 1_000)
    expect(aggregate.isEmpty).toBe(true)
    aggregate.record(run(10))
    expect(aggregate.take(labels, 1_500)).toMatchObject({ periodMs: 500 })
  })

  it('merges a batch put back with what came since, over both periods', () => {
    const aggregate = createInferenceAggregate(0)
    aggregate.record(run(10))
    aggregate.record({ type: 'counters', counters: { cacheHits: 1, cacheMisses: 0, fallbacks: 0 } })
    const failed = aggregate.take(labels, 60_000)!
    aggregate.putBack(failed, 60_000)
    aggregate.record(run(20))
    const batch = aggregate.take(labels, 120_000)!
    expect(batch.periodMs).toBe(120_000)
    expect(batch.cacheHits).toBe(1)
    expect(batch.series).toHaveLength(1)
    expect(batch.series[0]).toMatchObject({ count: 2, sumMs: 30 })
    expect(batch.series[0]!.buckets.slice(0, 3)).toEqual([0, 1, 1])
  })

  it('keeps at most maxSeries series', () => {
    const aggregate = createInferenceAggregate()
    for (let i = 0; i < maxSeries + 5; i++) aggregate.record(run(10, { task: `task-${i}` }))
    expect(aggregate.take(labels)!.series).toHaveLength(maxSeries)
  })
})
