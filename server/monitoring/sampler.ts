import type { Store } from '../db'
import type { GatewayMinute, GatewayTotals } from '../db/monitoring'
import { gatewayBoundsMs } from './histogram'
import type { Metrics } from './metrics'

type Snapshot = Omit<GatewayTotals, 'latencyBuckets'> & {
  /** Cumulative counts per bound, +Inf last, summed over every method, route and status. */
  latency: number[]
}

const empty: Snapshot = {
  requests: 0,
  serverErrors: 0,
  latency: Array<number>(gatewayBoundsMs.length + 1).fill(0),
  syncInBytes: 0,
  syncOutBytes: 0,
  syncFailures: 0,
}

/**
 * Writes the gateway's Prometheus counters into the per-minute history: each `flush` reads the
 * registry, takes the difference from the previous flush and adds it to the row of the current
 * minute. gateway.ts flushes every minute; the first flush counts everything since start.
 */
export function createSampler({ metrics, store }: { metrics: Metrics; store: Store }) {
  let previous = empty
  let queue: Promise<unknown> = Promise.resolve()

  async function flush(now: number): Promise<GatewayMinute | undefined> {
    const current = await snapshot(metrics)
    // Every figure comes from a request, so a minute without requests has nothing to add; what
    // was counted meanwhile (bytes of a request still running) stays for the next flush.
    if (current.requests === previous.requests) return undefined
    const latency = current.latency.map((n, i) => n - (previous.latency[i] ?? 0))
    const minute: GatewayMinute = {
      minute: now - (now % 60_000),
      requests: current.requests - previous.requests,
      serverErrors: current.serverErrors - previous.serverErrors,
      latencyBuckets: latency.map((n, i) => n - (latency[i - 1] ?? 0)),
      syncInBytes: current.syncInBytes - previous.syncInBytes,
      syncOutBytes: current.syncOutBytes - previous.syncOutBytes,
      syncFailures: current.syncFailures - previous.syncFailures,
    }
    await store.monitoring.addGatewayMinute(minute)
    // Only now: a failed write leaves the difference to the next flush.
    previous = current
    return minute
  }

  return {
    /** Adds what happened since the last flush to the row of `now`'s minute; returns it (if any). */
    flush(now = Date.now()): Promise<GatewayMinute | undefined> {
      const result = queue.then(() => flush(now))
      queue = result.catch(() => {})
      return result
    },
  }
}

export type Sampler = ReturnType<typeof createSampler>

/** The registry's running totals that the history keeps. */
async function snapshot(metrics: Metrics): Promise<Snapshot> {
  // Only the four metrics it keeps: the whole registry would also collect the process's figures.
  const values = async (name: string) =>
    ((await metrics.registry.getSingleMetric(name)?.get())?.values ?? []) as {
      labels: Record<string, string | number>
      value: number
      metricName?: string
    }[]
  const totals = { ...empty, latency: [...empty.latency] }

  for (const { labels, value } of await values('sightline_http_requests_total')) {
    totals.requests += value
    if (String(labels.status).startsWith('5')) totals.serverErrors += value
  }
  const bounds = gatewayBoundsMs.map((ms) => ms / 1000)
  for (const { metricName, labels, value } of await values(
    'sightline_http_request_duration_seconds',
  )) {
    if (!metricName?.endsWith('_bucket')) continue
    const i = labels.le === '+Inf' ? bounds.length : bounds.indexOf(Number(labels.le))
    if (i >= 0) totals.latency[i] = (totals.latency[i] ?? 0) + value
  }
  for (const { labels, value } of await values('sightline_sync_bytes_total')) {
    if (labels.direction === 'push') totals.syncInBytes += value
    if (labels.direction === 'pull') totals.syncOutBytes += value
  }
  for (const { value } of await values('sightline_sync_failures_total')) {
    totals.syncFailures += value
  }
  return totals
}
