import type { GatewayPoint, InferencePoint, Series } from './api'
import {
  formatMs,
  formatStep,
  gatewayRows,
  gatewayTotals,
  inferenceChart,
  inferenceKey,
  stepStarts,
  timeLabeller,
} from './series'

const minute = 60_000
const label = (t: number) => `t${t / minute}`

const gateway = (t: number, fields: Partial<GatewayPoint> = {}): GatewayPoint => ({
  t,
  requests: 10,
  serverErrors: 1,
  clientErrors: 2,
  p50Ms: 3,
  p95Ms: 9,
  syncInBytes: 100,
  syncOutBytes: 200,
  syncFailures: 0,
  ...fields,
})

const inference = (t: number, fields: Partial<InferencePoint> = {}): InferencePoint => ({
  t,
  task: 'ocr',
  model: 'ppocr-4.0',
  provider: 'wasm',
  count: 3,
  failures: 0,
  p50Ms: 120,
  p95Ms: 300,
  ...fields,
})

const series = (fields: Partial<Series> = {}): Series => ({
  from: 0,
  to: 5 * minute,
  stepMs: minute,
  gateway: [],
  inference: [],
  ...fields,
})

describe(stepStarts, () => {
  it('lists every step from the one holding from to the one holding to', () => {
    expect(stepStarts({ from: 30_000, to: 3 * minute + 1, stepMs: minute }, [])).toEqual([
      0,
      minute,
      2 * minute,
      3 * minute,
    ])
  })

  it('aligns the steps to the points', () => {
    const offset = 20_000
    expect(stepStarts({ from: 0, to: 2 * minute, stepMs: minute }, [minute + offset])).toEqual([
      offset - minute,
      offset,
      minute + offset,
    ])
  })

  it('keeps a point off the grid as a step of its own', () => {
    expect(stepStarts({ from: 0, to: minute, stepMs: minute }, [0, 90_000])).toEqual([
      0,
      minute,
      90_000,
    ])
  })

  it('falls back to the points alone for a step length it cannot use', () => {
    expect(stepStarts({ from: 0, to: minute, stepMs: 0 }, [5, 3])).toEqual([3, 5])
  })
})

describe(gatewayRows, () => {
  it('fills steps without a point with zero counts and no latency', () => {
    const rows = gatewayRows(
      series({ to: 2 * minute, gateway: [gateway(minute, { requests: 4 })] }),
      label,
    )
    expect(rows.map((row) => [row.label, row.requests, row.p95Ms])).toEqual([
      ['t0', 0, null],
      ['t1', 4, 9],
      ['t2', 0, null],
    ])
    expect(rows[0]).toMatchObject({ serverErrors: 0, syncInBytes: 0, syncFailures: 0 })
  })
})

describe(gatewayTotals, () => {
  it('adds up the counts', () => {
    expect(gatewayTotals([gateway(0), gateway(minute, { syncFailures: 2 })])).toEqual({
      requests: 20,
      serverErrors: 2,
      clientErrors: 4,
      syncInBytes: 200,
      syncOutBytes: 400,
      syncFailures: 2,
    })
  })
})

describe(inferenceChart, () => {
  it('makes one p50 and one p95 field per task, model and provider, busiest first', () => {
    const { lines, rows } = inferenceChart(
      series({
        to: 2 * minute,
        inference: [
          inference(0),
          inference(0, { provider: 'webgpu', count: 10, p50Ms: 20, p95Ms: 40 }),
          inference(2 * minute, { count: 1, failures: 1, p50Ms: null, p95Ms: null }),
        ],
      }),
      label,
    )
    expect(lines).toEqual([
      expect.objectContaining({
        key: 'ocr · ppocr-4.0 · webgpu',
        runs: 10,
        failures: 0,
        p50Field: 'line0p50',
        p95Field: 'line0p95',
      }),
      expect.objectContaining({ key: 'ocr · ppocr-4.0 · wasm', runs: 4, failures: 1 }),
    ])
    expect(rows).toEqual([
      { t: 0, label: 't0', line0p50: 20, line0p95: 40, line1p50: 120, line1p95: 300 },
      { t: minute, label: 't1', line0p50: null, line0p95: null, line1p50: null, line1p95: null },
      {
        t: 2 * minute,
        label: 't2',
        line0p50: null,
        line0p95: null,
        line1p50: null,
        line1p95: null,
      },
    ])
  })

  it('uses field names without dots, which recharts would read as paths', () => {
    const { lines } = inferenceChart(series({ inference: [inference(0)] }), label)
    expect(lines[0]!.p95Field).not.toContain('.')
    expect(lines[0]!.key).toBe(inferenceKey(inference(0)))
  })

  it('has no lines without inference figures', () => {
    expect(inferenceChart(series(), label).lines).toEqual([])
  })
})

describe(timeLabeller, () => {
  it('names the weekday only for ranges over a day', () => {
    const t = Date.UTC(2026, 0, 5, 12, 30) // a Monday
    expect(timeLabeller(24, 'en-GB')(t)).not.toMatch(/Mon/)
    expect(timeLabeller(168, 'en-GB')(t)).toMatch(/Mon/)
  })
})

describe(formatStep, () => {
  it('says minutes, or hours when whole', () => {
    expect(formatStep(60_000)).toBe('1 min')
    expect(formatStep(900_000)).toBe('15 min')
    expect(formatStep(7_200_000)).toBe('2 h')
  })
})

describe(formatMs, () => {
  it('keeps a decimal for small values and switches to seconds', () => {
    expect(formatMs(0)).toBe('0 ms')
    expect(formatMs(0.84)).toBe('0.8 ms')
    expect(formatMs(41.6)).toBe('42 ms')
    expect(formatMs(1_250)).toBe('1.25 s')
    expect(formatMs(31_000)).toBe('31.0 s')
    expect(formatMs(null)).toBe('—')
  })
})
