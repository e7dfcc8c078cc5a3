import { createTestGateway, type TestGateway } from '../_testing/gateway'
import { gatewayBoundsMs, inferenceBoundsMs } from '../monitoring/histogram'
import { createStore } from '.'

let gateway: TestGateway
let store: ReturnType<typeof createStore>
beforeEach(async () => {
  gateway = await createTestGateway()
  store = createStore(gateway.db)
})
afterEach(() => gateway.close())

const minute = 60_000
const t0 = 1_700_000_040_000 - (1_700_000_040_000 % (2 * 3_600_000)) // a 2-hour boundary

/** A gateway latency histogram with `n` requests in the bucket of `ms`. */
const latency = (entries: [ms: number, n: number][]) => {
  const buckets = Array<number>(gatewayBoundsMs.length + 1).fill(0)
  for (const [ms, n] of entries) {
    const i = gatewayBoundsMs.findIndex((bound) => ms <= bound)
    buckets[i < 0 ? gatewayBoundsMs.length : i]! += n
  }
  return buckets
}
const timings = (entries: [ms: number, n: number][]) => {
  const buckets = Array<number>(inferenceBoundsMs.length + 1).fill(0)
  for (const [ms, n] of entries) buckets[inferenceBoundsMs.findIndex((b) => ms <= b)]! += n
  return buckets
}
const gatewayRow = (at: number, requests: number, extra: Partial<Record<string, number>> = {}) => ({
  minute: at,
  requests,
  serverErrors: 0,
  latencyBuckets: latency([[3, requests]]),
  syncInBytes: 0,
  syncOutBytes: 0,
  syncFailures: 0,
  ...extra,
})
const ocr = (count: number, ms: number, failures = 0) => ({
  task: 'ocr',
  model: 'ppocr-4.0',
  provider: 'wasm',
  count,
  failures,
  sumMs: ms * (count - failures),
  buckets: timings([[ms, count - failures]]),
})

describe('monitoring store', () => {
  it('adds a second write for the same minute to the first, bucket by bucket', async () => {
    await store.monitoring.addGatewayMinute({
      ...gatewayRow(t0, 3, { serverErrors: 1, syncInBytes: 100, syncFailures: 1 }),
      latencyBuckets: latency([
        [3, 2],
        [40, 1],
      ]),
    })
    await store.monitoring.addGatewayMinute({
      ...gatewayRow(t0, 2, { syncOutBytes: 50 }),
      latencyBuckets: latency([
        [40, 1],
        [60_000, 1],
      ]),
    })
    const window = await store.monitoring.gatewayWindow(t0, t0 + minute)
    expect(window).toEqual({
      requests: 5,
      serverErrors: 1,
      latencyBuckets: latency([
        [3, 2],
        [40, 2],
        [60_000, 1],
      ]),
      syncInBytes: 100,
      syncOutBytes: 50,
      syncFailures: 1,
    })
    // [from, to): the minute at `to` is not in the window.
    expect((await store.monitoring.gatewayWindow(t0 - minute, t0)).requests).toBe(0)
    expect((await store.monitoring.gatewayWindow(t0 - minute, t0)).latencyBuckets).toEqual(
      latency([]),
    )
  })

  it('adds inference batches per task, model and provider, duplicates in one batch included', async () => {
    await store.monitoring.addInference(t0, [ocr(2, 40), ocr(1, 40, 1)])
    await store.monitoring.addInference(t0, [ocr(3, 200), { ...ocr(1, 8), provider: 'webgpu' }])
    await store.monitoring.addInference(t0 + minute, [ocr(4, 40)])
    const rows = await store.monitoring.inferenceWindow(t0, t0 + minute)
    expect(rows).toEqual([
      {
        task: 'ocr',
        model: 'ppocr-4.0',
        provider: 'wasm',
        count: 6,
        failures: 1,
        sumMs: 2 * 40 + 3 * 200,
        buckets: timings([
          [40, 2],
          [200, 3],
        ]),
      },
      expect.objectContaining({ provider: 'webgpu', count: 1, buckets: timings([[8, 1]]) }),
    ])
    const both = await store.monitoring.inferenceWindow(t0, t0 + 2 * minute)
    expect(both.find((row) => row.provider === 'wasm')?.count).toBe(10)
  })

  it('counts client error events in a window', async () => {
    const grouping = { fingerprint: 'f', type: 'TypeError', title: 'TypeError: boom' }
    for (const [id, at] of [
      ['a', t0],
      ['b', t0 + 10],
      ['c', t0 + minute],
    ] as const) {
      await store.telemetry.record(grouping, { eventId: id, payload: '{}' }, at)
    }
    expect(await store.monitoring.clientErrors(t0, t0 + minute)).toBe(2)
    expect(await store.monitoring.clientErrors(t0, t0 + 2 * minute)).toBe(3)
  })

  it('groups the series into steps with data, with p50 and p95 per step', async () => {
    await store.monitoring.addGatewayMinute({
      ...gatewayRow(t0, 10, { serverErrors: 2 }),
      latencyBuckets: latency([[8, 10]]),
    })
    await store.monitoring.addGatewayMinute(gatewayRow(t0 + 4 * minute, 4, { syncInBytes: 7 }))
    await store.monitoring.addGatewayMinute(gatewayRow(t0 + 5 * minute, 1))
    await store.monitoring.addInference(t0 + minute, [ocr(4, 40)])
    await store.monitoring.addInference(t0 + 6 * minute, [ocr(2, 300, 2)])
    await store.telemetry.record(
      { fingerprint: 'f', type: 'TypeError', title: 'TypeError: boom' },
      { eventId: 'e', payload: '{}' },
      t0 + 7 * minute,
    )

    const series = await store.monitoring.series(t0, t0 + 10 * minute, 5 * minute)
    expect(series).toMatchObject({ from: t0, to: t0 + 10 * minute, stepMs: 5 * minute })
    expect(series.gateway).toEqual([
      {
        t: t0,
        requests: 14,
        serverErrors: 2,
        clientErrors: 0,
        // 10 requests in (5, 10] ms and 4 in [0, 5]: the median is the 3rd of 10 in (5, 10].
        p50Ms: 6.5,
        p95Ms: expect.closeTo(9.65, 2),
        syncInBytes: 7,
        syncOutBytes: 0,
        syncFailures: 0,
      },
      expect.objectContaining({ t: t0 + 5 * minute, requests: 1, clientErrors: 1, p50Ms: 2.5 }),
    ])
    expect(series.inference).toEqual([
      {
        t: t0,
        task: 'ocr',
        model: 'ppocr-4.0',
        provider: 'wasm',
        count: 4,
        failures: 0,
        p50Ms: 37.5,
        p95Ms: 48.75,
      },
      // Only failed runs: nothing timed.
      expect.objectContaining({
        t: t0 + 5 * minute,
        count: 2,
        failures: 2,
        p50Ms: null,
        p95Ms: null,
      }),
    ])

    const hourly = await store.monitoring.series(t0, t0 + 10 * minute, 2 * 3_600_000)
    expect(hourly.gateway.map((p) => [p.t, p.requests, p.clientErrors])).toEqual([[t0, 15, 1]])
    expect(hourly.inference.map((p) => [p.t, p.count])).toEqual([[t0, 6]])
  })

  it('prunes rows from before a time', async () => {
    await store.monitoring.addGatewayMinute(gatewayRow(t0, 1))
    await store.monitoring.addGatewayMinute(gatewayRow(t0 + minute, 1))
    await store.monitoring.addInference(t0, [ocr(1, 40)])
    expect(await store.monitoring.prune(t0 + minute)).toBe(2)
    expect((await store.monitoring.gatewayWindow(0, t0 + 2 * minute)).requests).toBe(1)
    expect(await store.monitoring.inferenceWindow(0, t0 + 2 * minute)).toEqual([])
  })
})
