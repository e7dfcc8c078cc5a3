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

/** Bucket columns of a table: `l0…` for gateway latency, `b0…` for inference (003-monitoring.sql). */
const columns = (prefix: 'l' | 'b', bounds: readonly number[]) =>
  Array.from({ length: bounds.length + 1 }, (_, i) => `${prefix}${i}`)
const latencyColumns = columns('l', gatewayBoundsMs)
const inferenceColumns = columns('b', inferenceBoundsMs)

const addTo = (names: string[]) =>
  names.map((name) => `${name} = ${name} + excluded.${name}`).join(', ')
const sums = (names: string[]) => names.map((name) => `sum(${name}) AS ${name}`).join(', ')
const bucketsOf = (row: Row | undefined, names: string[]) =>
  names.map((name) => Number(row?.[name] ?? 0))
/** A bucket array as the bound arguments of `names`, zero-padded or cut to their number. */
const argsOf = (buckets: readonly number[], names: string[]) => names.map((_, i) => buckets[i] ?? 0)

const round = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms * 100) / 100)

export const monitoring = (db: Db) => ({
  /** Adds a minute of gateway figures to that minute's row (made if missing). */
  async addGatewayMinute(row: GatewayMinute): Promise<void> {
    await db.execute(
      `INSERT INTO monitor_minutes
         (minute, requests, server_errors, sync_in_bytes, sync_out_bytes, sync_failures, ${latencyColumns.join(', ')})
       VALUES (${Array(6 + latencyColumns.length)
         .fill('?')
         .join(', ')})
       ON CONFLICT (minute) DO UPDATE SET
         ${addTo(['requests', 'server_errors', 'sync_in_bytes', 'sync_out_bytes', 'sync_failures', ...latencyColumns])}`,
      [
        row.minute,
        row.requests,
        row.serverErrors,
        row.syncInBytes,
        row.syncOutBytes,
        row.syncFailures,
        ...argsOf(row.latencyBuckets, latencyColumns),
      ],
    )
  },

  /** Adds a batch of inference figures to `minute`'s rows, in one transaction. */
  async addInference(minute: number, series: InferenceSeries[]): Promise<void> {
    await db.batch(
      series.map((s) => ({
        sql: `INSERT INTO inference_minutes
                (minute, task, model, provider, count, failures, sum_ms, ${inferenceColumns.join(', ')})
              VALUES (${Array(7 + inferenceColumns.length)
                .fill('?')
                .join(', ')})
              ON CONFLICT (minute, task, model, provider) DO UPDATE SET
                ${addTo(['count', 'failures', 'sum_ms', ...inferenceColumns])}`,
        args: [
          minute,
          s.task,
          s.model,
          s.provider,
          s.count,
          s.failures,
          s.sumMs,
          ...argsOf(s.buckets, inferenceColumns),
        ],
      })),
    )
  },

  /** The gateway's figures summed over the minutes in [from, to). */
  async gatewayWindow(from: number, to: number): Promise<GatewayTotals> {
    const { rows } = await db.execute(
      `SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(server_errors), 0) AS server_errors,
         coalesce(sum(sync_in_bytes), 0) AS sync_in, coalesce(sum(sync_out_bytes), 0) AS sync_out,
         coalesce(sum(sync_failures), 0) AS sync_failures, ${sums(latencyColumns)}
       FROM monitor_minutes WHERE minute >= ? AND minute < ?`,
      [from, to],
    )
    const row = rows[0]
    return {
      requests: Number(row?.requests ?? 0),
      serverErrors: Number(row?.server_errors ?? 0),
      latencyBuckets: bucketsOf(row, latencyColumns),
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
    const rows = await inferenceGroups(db, 'NULL', [from, to])
    return rows.map((row) => ({
      task: String(row.task),
      model: String(row.model),
      provider: String(row.provider),
      count: Number(row.count),
      failures: Number(row.failures),
      sumMs: Number(row.sum_ms),
      buckets: bucketsOf(row, inferenceColumns),
    }))
  },

  /** The series API's body: figures per step of `stepMs` (aligned to the epoch) in [from, to). */
  async series(from: number, to: number, stepMs: number): Promise<MonitoringSeries> {
    const step = 'minute - minute % ?'
    const [gatewayRows, errorRows] = await db.batch(
      [
        {
          sql: `SELECT ${step} AS t, sum(requests) AS requests, sum(server_errors) AS server_errors,
                  sum(sync_in_bytes) AS sync_in, sum(sync_out_bytes) AS sync_out,
                  sum(sync_failures) AS sync_failures, ${sums(latencyColumns)}
                FROM monitor_minutes WHERE minute >= ? AND minute < ? GROUP BY t`,
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
      const buckets = bucketsOf(row, latencyColumns)
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
      inference: inference.map((row) => {
        const buckets = bucketsOf(row, inferenceColumns)
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
 * arguments first in `args`), task, model and provider, sorted by t.
 */
async function inferenceGroups(db: Db, t: string, args: number[]): Promise<Row[]> {
  const { rows } = await db.execute(
    `SELECT ${t} AS t, task, model, provider, sum(count) AS count, sum(failures) AS failures,
       sum(sum_ms) AS sum_ms, ${sums(inferenceColumns)}
     FROM inference_minutes WHERE minute >= ? AND minute < ?
     GROUP BY t, task, model, provider ORDER BY t, task, model, provider`,
    args,
  )
  return rows
}

export type Monitoring = ReturnType<typeof monitoring>
