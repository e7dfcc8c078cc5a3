import type { Row } from '@libsql/client'
import { gatewayBoundsMs, inferenceBoundsMs, quantile } from '../monitoring/histogram'
import type { Db } from './client'

/** The gateway's own figures for one minute (ms since epoch, start of the minute). */
export interface GatewayMinute {
  minute: number
  requests: number
  /** Requests answered 5xx. */
  serverErrors: number
  /** Counts per bound of `gatewayBoundsMs`, +Inf last; not cumulative. */
  latencyBuckets: number[]
  syncInBytes: number
  syncOutBytes: number
  /** /api/sync and /api/blobs requests answered 5xx, 400, 413 or 422. */
  syncFailures: number
}

export type GatewayTotals = Omit<GatewayMinute, 'minute'>

/** The browser's inference figures for one task, model and provider. */
export interface InferenceSeries {
  task: string
  model: string
  provider: string
  /** Runs, failed ones included. */
  count: number
  failures: number
  /** Total time of the runs that succeeded, ms. */
  sumMs: number
  /** Counts per bound of `inferenceBoundsMs`, +Inf last; they add up to `count - failures`. */
  buckets: number[]
}

export interface GatewayPoint {
  t: number
  requests: number
  serverErrors: number
  clientErrors: number
  p50Ms: number | null
  p95Ms: number | null
  syncInBytes: number
  syncOutBytes: number
  syncFailures: number
}

export interface InferencePoint {
  t: number
  task: string
  model: string
  provider: string
  count: number
  failures: number
  p50Ms: number | null
  p95Ms: number | null
}

/** Charts' data: one point per step that has any, oldest first. */
export interface MonitoringSeries {
  from: number
  to: number
  stepMs: number
  gateway: GatewayPoint[]
  inference: InferencePoint[]
}

/** SQL for the element-wise sum of two JSON arrays of numbers (the longer length wins). */
const addJsonArrays = (current: string, added: string) =>
  `(SELECT json_group_array(coalesce(a.value, 0) + coalesce(b.value, 0) ORDER BY coalesce(a.key, b.key))
    FROM json_each(${current}) a FULL JOIN json_each(${added}) b ON a.key = b.key)`

/** Rows of `(…group, k, n)` (bucket index and count) → one bucket array per group. */
function bucketsByGroup(rows: Row[], group: (row: Row) => string, length: number) {
  const groups = new Map<string, number[]>()
  for (const row of rows) {
    const key = group(row)
    const buckets = groups.get(key) ?? Array<number>(length).fill(0)
    buckets[Number(row.k)] = Number(row.n)
    groups.set(key, buckets)
  }
  return groups
}

const seriesKey = (row: Row) => JSON.stringify([row.t ?? 0, row.task, row.model, row.provider])
const round = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms * 100) / 100)

export const monitoring = (db: Db) => ({
  /** Adds a minute of gateway figures to that minute's row (made if missing). */
  async addGatewayMinute(row: GatewayMinute): Promise<void> {
    await db.execute(
      `INSERT INTO monitor_minutes
         (minute, requests, server_errors, latency_buckets, sync_in_bytes, sync_out_bytes, sync_failures)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (minute) DO UPDATE SET
         requests = requests + excluded.requests,
         server_errors = server_errors + excluded.server_errors,
         latency_buckets = ${addJsonArrays('monitor_minutes.latency_buckets', 'excluded.latency_buckets')},
         sync_in_bytes = sync_in_bytes + excluded.sync_in_bytes,
         sync_out_bytes = sync_out_bytes + excluded.sync_out_bytes,
         sync_failures = sync_failures + excluded.sync_failures`,
      [
        row.minute,
        row.requests,
        row.serverErrors,
        JSON.stringify(row.latencyBuckets),
        row.syncInBytes,
        row.syncOutBytes,
        row.syncFailures,
      ],
    )
  },

  /** Adds a batch of inference figures to `minute`'s rows, in one transaction. */
  async addInference(minute: number, series: InferenceSeries[]): Promise<void> {
    await db.batch(
      series.map((s) => ({
        sql: `INSERT INTO inference_minutes (minute, task, model, provider, count, failures, sum_ms, buckets)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (minute, task, model, provider) DO UPDATE SET
                count = count + excluded.count,
                failures = failures + excluded.failures,
                sum_ms = sum_ms + excluded.sum_ms,
                buckets = ${addJsonArrays('inference_minutes.buckets', 'excluded.buckets')}`,
        args: [
          minute,
          s.task,
          s.model,
          s.provider,
          s.count,
          s.failures,
          s.sumMs,
          JSON.stringify(s.buckets),
        ],
      })),
    )
  },

  /** The gateway's figures summed over the minutes in [from, to). */
  async gatewayWindow(from: number, to: number): Promise<GatewayTotals> {
    const [totals, buckets] = await db.batch(
      [
        {
          sql: `SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(server_errors), 0) AS server_errors,
                  coalesce(sum(sync_in_bytes), 0) AS sync_in, coalesce(sum(sync_out_bytes), 0) AS sync_out,
                  coalesce(sum(sync_failures), 0) AS sync_failures
                FROM monitor_minutes WHERE minute >= ? AND minute < ?`,
          args: [from, to],
        },
        {
          sql: `SELECT j.key AS k, sum(j.value) AS n FROM monitor_minutes m, json_each(m.latency_buckets) j
                WHERE m.minute >= ? AND m.minute < ? GROUP BY j.key`,
          args: [from, to],
        },
      ],
      'read',
    )
    const row = totals?.rows[0]
    return {
      requests: Number(row?.requests ?? 0),
      serverErrors: Number(row?.server_errors ?? 0),
      latencyBuckets:
        bucketsByGroup(buckets?.rows ?? [], () => '', gatewayBoundsMs.length + 1).get('') ??
        Array<number>(gatewayBoundsMs.length + 1).fill(0),
      syncInBytes: Number(row?.sync_in ?? 0),
      syncOutBytes: Number(row?.sync_out ?? 0),
      syncFailures: Number(row?.sync_failures ?? 0),
    }
  },

  /** Error events the app reported in [from, to). */
  async clientErrors(from: number, to: number): Promise<number> {
    const { rows } = await db.execute(
      'SELECT count(*) AS n FROM telemetry_events WHERE received_at >= ? AND received_at < ?',
      [from, to],
    )
    return Number(rows[0]?.n ?? 0)
  },

  /** Inference figures per task, model and provider, summed over the minutes in [from, to). */
  async inferenceWindow(from: number, to: number): Promise<InferenceSeries[]> {
    const { totals, buckets } = await inferenceGroups(db, 'NULL', [from, to])
    return totals.map((row) => ({
      task: String(row.task),
      model: String(row.model),
      provider: String(row.provider),
      count: Number(row.count),
      failures: Number(row.failures),
      sumMs: Number(row.sum_ms),
      buckets: buckets.get(seriesKey(row)) ?? Array<number>(inferenceBoundsMs.length + 1).fill(0),
    }))
  },

  /** The series API's body: figures per step of `stepMs` (aligned to the epoch) in [from, to). */
  async series(from: number, to: number, stepMs: number): Promise<MonitoringSeries> {
    const step = 'minute - minute % ?'
    const [gatewayRows, latencyRows, errorRows] = await db.batch(
      [
        {
          sql: `SELECT ${step} AS t, sum(requests) AS requests, sum(server_errors) AS server_errors,
                  sum(sync_in_bytes) AS sync_in, sum(sync_out_bytes) AS sync_out, sum(sync_failures) AS sync_failures
                FROM monitor_minutes WHERE minute >= ? AND minute < ? GROUP BY t`,
          args: [stepMs, from, to],
        },
        {
          sql: `SELECT ${step} AS t, j.key AS k, sum(j.value) AS n
                FROM monitor_minutes, json_each(latency_buckets) j
                WHERE minute >= ? AND minute < ? GROUP BY t, j.key`,
          args: [stepMs, from, to],
        },
        {
          sql: `SELECT received_at - received_at % ? AS t, count(*) AS n FROM telemetry_events
                WHERE received_at >= ? AND received_at < ? GROUP BY t`,
          args: [stepMs, from, to],
        },
      ],
      'read',
    )
    const latency = bucketsByGroup(
      latencyRows?.rows ?? [],
      (row) => String(row.t),
      gatewayBoundsMs.length + 1,
    )
    const points = new Map<number, GatewayPoint>()
    const point = (t: number) => {
      let found = points.get(t)
      if (!found) {
        found = {
          t,
          requests: 0,
          serverErrors: 0,
          clientErrors: 0,
          p50Ms: null,
          p95Ms: null,
          syncInBytes: 0,
          syncOutBytes: 0,
          syncFailures: 0,
        }
        points.set(t, found)
      }
      return found
    }
    for (const row of gatewayRows?.rows ?? []) {
      const buckets = latency.get(String(row.t)) ?? []
      Object.assign(point(Number(row.t)), {
        requests: Number(row.requests),
        serverErrors: Number(row.server_errors),
        p50Ms: round(quantile(gatewayBoundsMs, buckets, 0.5)),
        p95Ms: round(quantile(gatewayBoundsMs, buckets, 0.95)),
        syncInBytes: Number(row.sync_in),
        syncOutBytes: Number(row.sync_out),
        syncFailures: Number(row.sync_failures),
      })
    }
    for (const row of errorRows?.rows ?? []) point(Number(row.t)).clientErrors = Number(row.n)

    const inference = await inferenceGroups(db, step, [stepMs, from, to])
    return {
      from,
      to,
      stepMs,
      gateway: [...points.values()].sort((a, b) => a.t - b.t),
      inference: inference.totals.map((row) => {
        const buckets = inference.buckets.get(seriesKey(row)) ?? []
        return {
          t: Number(row.t),
          task: String(row.task),
          model: String(row.model),
          provider: String(row.provider),
          count: Number(row.count),
          failures: Number(row.failures),
          p50Ms: round(quantile(inferenceBoundsMs, buckets, 0.5)),
          p95Ms: round(quantile(inferenceBoundsMs, buckets, 0.95)),
        }
      }),
    }
  },

  /** Deletes the history from before `before` (ms); returns how many rows went. */
  async prune(before: number): Promise<number> {
    const results = await db.batch([
      { sql: 'DELETE FROM monitor_minutes WHERE minute < ?', args: [before] },
      { sql: 'DELETE FROM inference_minutes WHERE minute < ?', args: [before] },
    ])
    return results.reduce((sum, result) => sum + result.rowsAffected, 0)
  },
})

/**
 * Inference rows in [from, to) summed per `t` (an SQL expression over `minute`, with its
 * arguments first in `args`), task, model and provider: totals sorted by t, and bucket arrays by
 * `seriesKey`.
 */
async function inferenceGroups(db: Db, t: string, args: number[]) {
  const where = 'WHERE minute >= ? AND minute < ? GROUP BY t, task, model, provider'
  const [totals, buckets] = await db.batch(
    [
      {
        sql: `SELECT ${t} AS t, task, model, provider, sum(count) AS count, sum(failures) AS failures,
                sum(sum_ms) AS sum_ms FROM inference_minutes ${where} ORDER BY t, task, model, provider`,
        args,
      },
      {
        sql: `SELECT ${t} AS t, task, model, provider, j.key AS k, sum(j.value) AS n
              FROM inference_minutes, json_each(buckets) j ${where}, j.key`,
        args,
      },
    ],
    'read',
  )
  return {
    totals: totals?.rows ?? [],
    buckets: bucketsByGroup(buckets?.rows ?? [], seriesKey, inferenceBoundsMs.length + 1),
  }
}

export type Monitoring = ReturnType<typeof monitoring>
