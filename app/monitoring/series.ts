import type { GatewayPoint, Series } from './api'

/** A chart row: the step's start (ms since epoch) and its label on the time axis. */
export interface Row {
  t: number
  label: string
}

export type GatewayRow = Row & GatewayPoint

/** One line pair of the inference chart: a task run by one model version on one provider. */
export interface InferenceLine {
  /** `task · model · provider`, as the page shows it. */
  key: string
  task: string
  model: string
  provider: string
  /** Row fields holding this line's p50 and p95 (ms). Model versions contain dots, which recharts reads as paths, so the fields are plain names. */
  p50Field: string
  p95Field: string
  runs: number
  failures: number
}

export type InferenceRow = Row & Record<string, number | string | null>

export type GatewayTotals = Omit<GatewayPoint, 't' | 'p50Ms' | 'p95Ms'>

// More steps than the widest range has (7 d of 2 h steps is 84): guards against a bad stepMs.
const maxSteps = 2_000

/**
 * The start of every step from the one holding `from` to the one holding `to`. Steps are aligned
 * as the points are (to the first point's `t`), or to multiples of `stepMs` when there are none;
 * any point off that grid still gets its own step.
 */
export function stepStarts(series: Pick<Series, 'from' | 'to' | 'stepMs'>, pointTimes: number[]) {
  const { from, to, stepMs } = series
  const times = new Set(pointTimes)
  if (stepMs > 0 && to >= from && (to - from) / stepMs <= maxSteps) {
    const anchor = pointTimes[0] ?? Math.floor(from / stepMs) * stepMs
    for (let t = anchor - Math.ceil((anchor - from) / stepMs) * stepMs; t <= to; t += stepMs) {
      times.add(t)
    }
  }
  return [...times].sort((a, b) => a - b)
}

const emptyGateway = (t: number): GatewayPoint => ({
  t,
  requests: 0,
  serverErrors: 0,
  clientErrors: 0,
  p50Ms: null,
  p95Ms: null,
  syncInBytes: 0,
  syncOutBytes: 0,
  syncFailures: 0,
})

/**
 * One row per step of the range: steps without a point had no traffic, so their counts are zero
 * and their latencies null (a gap in the line, not a fall to zero).
 */
export function gatewayRows(series: Series, label: (t: number) => string): GatewayRow[] {
  const byTime = new Map(series.gateway.map((point) => [point.t, point]))
  return stepStarts(
    series,
    series.gateway.map((point) => point.t),
  ).map((t) => ({ ...(byTime.get(t) ?? emptyGateway(t)), label: label(t) }))
}

/** The gateway's counts added up over the range. */
export function gatewayTotals(points: GatewayPoint[]): GatewayTotals {
  const totals: GatewayTotals = {
    requests: 0,
    serverErrors: 0,
    clientErrors: 0,
    syncInBytes: 0,
    syncOutBytes: 0,
    syncFailures: 0,
  }
  for (const point of points) {
    for (const name of Object.keys(totals) as (keyof GatewayTotals)[]) totals[name] += point[name]
  }
  return totals
}

export const inferenceKey = (point: { task: string; model: string; provider: string }) =>
  `${point.task} · ${point.model} · ${point.provider}`

/**
 * The inference figures as chart rows, one per step, with a p50 and a p95 field per line; a
 * line without timed runs in a step has null there. Lines come busiest first.
 */
export function inferenceChart(
  series: Series,
  label: (t: number) => string,
): { lines: InferenceLine[]; rows: InferenceRow[] } {
  const byKey = new Map<string, Omit<InferenceLine, 'p50Field' | 'p95Field'>>()
  for (const point of series.inference) {
    const key = inferenceKey(point)
    const line = byKey.get(key) ?? {
      key,
      task: point.task,
      model: point.model,
      provider: point.provider,
      runs: 0,
      failures: 0,
    }
    line.runs += point.count
    line.failures += point.failures
    byKey.set(key, line)
  }
  const lines = [...byKey.values()]
    .sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key))
    .map((line, index) => ({ ...line, p50Field: `line${index}p50`, p95Field: `line${index}p95` }))
  const fieldsOf = new Map(lines.map((line) => [line.key, line]))

  const times = stepStarts(
    series,
    series.inference.map((point) => point.t),
  )
  const rowAt = new Map<number, InferenceRow>()
  for (const t of times) {
    const row: InferenceRow = { t, label: label(t) }
    for (const line of lines) row[line.p50Field] = row[line.p95Field] = null
    rowAt.set(t, row)
  }
  for (const point of series.inference) {
    const row = rowAt.get(point.t)
    const line = fieldsOf.get(inferenceKey(point))
    if (!row || !line) continue
    row[line.p50Field] = point.p50Ms
    row[line.p95Field] = point.p95Ms
  }
  return { lines, rows: times.map((t) => rowAt.get(t)!) }
}

/** How the time axis names a step: the time of day, with the weekday for ranges over a day. */
export function timeLabeller(hours: number, locale?: string): (t: number) => string {
  const format = new Intl.DateTimeFormat(
    locale,
    hours > 24
      ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
      : { hour: '2-digit', minute: '2-digit' },
  )
  return (t) => format.format(new Date(t))
}

/** A step length in words: "1 min", "15 min", "2 h". */
export function formatStep(stepMs: number): string {
  const minutes = Math.round(stepMs / 60_000)
  return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`
}

/** Milliseconds for an axis or tooltip: "0.8 ms", "42 ms", "1.25 s"; a dash for no value. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`
  return `${ms < 10 && ms !== 0 ? ms.toFixed(1) : Math.round(ms)} ms`
}
