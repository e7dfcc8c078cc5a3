import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { createTestGateway, type TestGateway } from '../_testing/gateway'
import { createStore } from '../db'
import { inferenceBoundsMs } from '../monitoring/histogram'

let gateway: TestGateway
beforeEach(async () => {
  gateway = await createTestGateway()
})
afterEach(() => gateway.close())

const detection = {
  task: 'object-detection',
  model: 'yolo-1.2.0',
  provider: 'wasm',
  count: 12,
  failures: 1,
  sumMs: 1834.5,
  buckets: [0, 0, 0, 2, 6, 3, 0, 0, 0, 0, 0, 0, 0],
}
const batch = (extra: Record<string, unknown> = {}) => ({
  release: 'sightline@0.1.0',
  environment: 'production',
  periodMs: 60_000,
  series: [detection],
  fallbacks: 1,
  cacheHits: 3,
  cacheMisses: 1,
  maxQueueDepth: 5,
  ...extra,
})

/** As `navigator.sendBeacon` posts a string: text/plain, from the app's origin. */
const post = (body: unknown, key = 'sightline', contentType = 'text/plain;charset=UTF-8') =>
  gateway.app.request(`/api/telemetry/inference?sentry_key=${key}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': contentType, origin: 'http://localhost' },
  })

const problem = async (response: Response) =>
  (await response.json()) as { type: string; errors?: { path: string; message: string }[] }

describe('POST /api/telemetry/inference', () => {
  it('accepts a batch as text/plain or JSON and adds it to the minute history', async () => {
    const first = await post(batch())
    expect(first.status).toBe(202)
    expect(await first.json()).toEqual({ accepted: 1 })
    const second = await post(
      batch({ series: [detection, { ...detection, provider: 'webgpu' }] }),
      'sightline',
      'application/json',
    )
    expect(second.status).toBe(202)
    expect(await second.json()).toEqual({ accepted: 2 })

    const now = Date.now()
    const rows = await createStore(gateway.db).monitoring.inferenceWindow(now - 120_000, now + 1)
    expect(rows.find((row) => row.provider === 'wasm')).toMatchObject({
      count: 24,
      failures: 2,
      sumMs: 2 * 1834.5,
      buckets: [0, 0, 0, 4, 12, 6, 0, 0, 0, 0, 0, 0, 0],
    })
    expect(rows.find((row) => row.provider === 'webgpu')?.count).toBe(12)
  })

  it('needs no session and no same-origin Origin, like the envelope routes', async () => {
    const response = await gateway.app.request('/api/telemetry/inference?sentry_key=sightline', {
      method: 'POST',
      body: JSON.stringify(batch()),
      headers: { 'content-type': 'text/plain', origin: 'https://elsewhere.example' },
    })
    expect(response.status).toBe(202)
  })

  it('refuses bad JSON, bad shapes and unknown keys with problems', async () => {
    const notJson = await post('{"series": [')
    expect(notJson.status).toBe(400)
    expect(notJson.headers.get('content-type')).toContain('application/problem+json')
    expect((await problem(notJson)).type).toBe('/api/problems/bad-json')

    const short = await post(batch({ series: [{ ...detection, buckets: [1, 2, 3] }] }))
    expect(short.status).toBe(400)
    expect((await problem(short)).errors?.map((e) => e.path)).toContain('series.0.buckets')

    const mismatch = await post(batch({ series: [{ ...detection, count: 20 }] }))
    expect(mismatch.status).toBe(400)
    expect((await problem(mismatch)).errors).toEqual([
      { path: 'series.0.buckets', message: expect.stringMatching(/hold 11 runs.*is 19/) },
    ])

    for (const bad of [
      batch({ series: [{ ...detection, provider: 'cuda' }] }),
      batch({ series: [{ ...detection, task: 'no spaces' }] }),
      batch({ series: [{ ...detection, task: 'x'.repeat(65) }] }),
      batch({ series: [{ ...detection, count: -1 }] }),
      batch({ series: [{ ...detection, failures: 1.5 }] }),
      batch({ series: Array(101).fill(detection) }),
      batch({ pixels: 'never' }),
      batch({ fallbacks: undefined }),
    ]) {
      expect((await post(bad)).status).toBe(400)
    }

    const wrongKey = await post(batch(), 'stranger')
    expect(wrongKey.status).toBe(403)
    expect((await problem(wrongKey)).type).toBe('/api/problems/unknown-key')
    const noKey = await gateway.app.request('/api/telemetry/inference', {
      method: 'POST',
      body: JSON.stringify(batch()),
      headers: { 'content-type': 'text/plain' },
    })
    expect(noKey.status).toBe(403)

    const huge = await post(batch({ release: 'x'.repeat(70 * 1024) }))
    expect(huge.status).toBe(413)

    const rows = await createStore(gateway.db).monitoring.inferenceWindow(0, Date.now() + 1)
    expect(rows).toEqual([])
  })

  it('shares the per-key limit with the envelope routes and answers 429 with Retry-After', async () => {
    gateway.close()
    gateway = await createTestGateway({ SIGHTLINE_TELEMETRY_PER_MINUTE: '5' })
    const envelope = `{"dsn":"http://sightline@localhost/1"}\n{"type":"client_report"}\n{}\n`
    for (let i = 0; i < 3; i++) {
      const response = await gateway.app.request('/api/telemetry/envelope', {
        method: 'POST',
        body: envelope,
        headers: { 'content-type': 'text/plain', origin: 'http://localhost' },
      })
      expect(response.status).toBe(200)
    }
    expect((await post(batch())).status).toBe(202)
    expect((await post(batch())).status).toBe(202)
    const limited = await post(batch())
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('inference metrics', () => {
  it('exports merged latency histograms and counters at /metrics', async () => {
    expect((await post(batch())).status).toBe(202)
    const slow = {
      ...detection,
      count: 2,
      failures: 0,
      sumMs: 3000 + 45_000,
      buckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1],
    }
    expect(
      (await post(batch({ series: [slow], fallbacks: 0, cacheHits: 0, maxQueueDepth: 2 }))).status,
    ).toBe(202)

    const text = await (await gateway.app.request('/metrics')).text()
    // The parser checks the whole text's syntax (and folds labelled histograms; lines are read below).
    const families = parsePrometheusTextFormat(text)
    expect(families.find((f) => f.name === 'sightline_inference_duration_seconds')?.type).toBe(
      'HISTOGRAM',
    )
    const labels = 'task="object-detection",model="yolo-1.2.0",provider="wasm"'
    const line = (name: string, le?: string) => {
      const match = new RegExp(
        `^sightline_inference_duration_seconds_${name}\\{${le === undefined ? '' : `le="${le.replace('+', '\\+')}",`}${labels}\\} (\\S+)$`,
        'm',
      ).exec(text)
      return match ? Number(match[1]) : undefined
    }
    // Batch one: 2 in (25, 50] ms, 6 in (50, 100], 3 in (100, 250]; batch two: 1 in (2.5, 5] s, 1 above 30 s.
    const expected = [0, 0, 0, 2, 8, 11, 11, 11, 11, 12, 12, 12]
    inferenceBoundsMs.forEach((ms, i) =>
      expect(line('bucket', String(ms / 1000))).toBe(expected[i]),
    )
    expect(line('bucket', '+Inf')).toBe(13)
    expect(line('count')).toBe(13)
    expect(line('sum')).toBeCloseTo((1834.5 + 48_000) / 1000)

    const value = (name: string, match: Record<string, string> = {}) =>
      families
        .find((f) => f.name === name)
        ?.metrics.filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v))
        .reduce((sum, m) => sum + Number(m.value), 0)
    expect(value('sightline_inference_runs_total', { provider: 'wasm', outcome: 'ok' })).toBe(13)
    expect(value('sightline_inference_runs_total', { provider: 'wasm', outcome: 'failed' })).toBe(1)
    expect(value('sightline_inference_fallbacks_total')).toBe(1)
    expect(value('sightline_model_cache_total', { outcome: 'hit' })).toBe(3)
    expect(value('sightline_model_cache_total', { outcome: 'miss' })).toBe(2)
    expect(value('sightline_inference_queue_depth')).toBe(2)
  })
})
