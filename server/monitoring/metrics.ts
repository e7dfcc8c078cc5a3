import { prometheus } from '@hono/prometheus'
import { Counter, Gauge, Histogram, type Metric, Registry } from 'prom-client'
import { inferenceBoundsMs } from './histogram'

/**
 * The gateway's Prometheus metrics, in a registry of its own (tests run several gateways in one
 * process). HTTP requests are labelled by route pattern (`/api/records/:kind/:id`), never by
 * path, so ids do not multiply series.
 */
export function createMetrics() {
  const registry = new Registry()
  const { registerMetrics } = prometheus({
    registry,
    collectDefaultMetrics: { prefix: 'sightline_' },
    prefix: 'sightline_',
  })
  return {
    registry,
    /** Hono middleware: request count and latency per method, route pattern and status. */
    httpMetrics: registerMetrics,
    dbDuration: new Histogram({
      name: 'sightline_db_query_duration_seconds',
      help: 'Time of database calls, by kind (execute or batch) and outcome',
      labelNames: ['op', 'outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'sightline_http_errors_total',
      help: 'Error answers by problem type (validation, not-found, internal, …)',
      labelNames: ['type', 'status'] as const,
      registers: [registry],
    }),
    syncChanges: new Counter({
      name: 'sightline_sync_changes_total',
      help: 'Records pushed (by outcome) and pulled, by kind',
      labelNames: ['direction', 'kind', 'outcome'] as const,
      registers: [registry],
    }),
    telemetryItems: new Counter({
      name: 'sightline_telemetry_items_total',
      help: 'Envelope items received from the app, by type (event, session, client_report, …)',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    syncBytes: new Counter({
      name: 'sightline_sync_bytes_total',
      help: 'Bytes of record JSON pushed and pulled, and of file chunks uploaded and downloaded',
      labelNames: ['direction', 'what'] as const,
      registers: [registry],
    }),
    syncFailures: new Counter({
      name: 'sightline_sync_failures_total',
      help: 'Sync and file requests answered 5xx, 400, 413 or 422, by status',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    inferenceDuration: new MergedHistogram(
      'sightline_inference_duration_seconds',
      "Time of the browser's successful inference runs, by task, model and provider",
      inferenceBoundsMs.map((ms) => ms / 1000),
      registry,
    ),
    inferenceRuns: new Counter({
      name: 'sightline_inference_runs_total',
      help: 'Inference runs in the browser, by task, model, provider and outcome (ok or failed)',
      labelNames: ['task', 'model', 'provider', 'outcome'] as const,
      registers: [registry],
    }),
    inferenceFallbacks: new Counter({
      name: 'sightline_inference_fallbacks_total',
      help: 'Times the browser fell back from WebGPU to WASM',
      registers: [registry],
    }),
    modelCache: new Counter({
      name: 'sightline_model_cache_total',
      help: 'Model files the browser found in Cache Storage (hit) or downloaded (miss)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    alertsFiring: new Gauge({
      name: 'sightline_alerts_firing',
      help: 'Alerts open now, by rule (updated when the rules run)',
      labelNames: ['rule'] as const,
      registers: [registry],
    }),
    inferenceQueueDepth: new Gauge({
      name: 'sightline_inference_queue_depth',
      help: 'Longest analysis queue in the latest batch the browser reported',
      registers: [registry],
    }),
  }
}

/**
 * A histogram fed with bucket counts instead of single values: the browser reports its runs
 * already bucketed, and prom-client's `Histogram` can only observe one value at a time. It emits
 * what `Histogram` does: cumulative `_bucket{le}`, `_sum` and `_count` per label set. Label values
 * come from clients, so it keeps at most `maxSeries` label sets and refuses new ones past that.
 */
export class MergedHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly series = new Map<
    string,
    { labels: Record<string, string>; buckets: number[]; sum: number }
  >()

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, in the unit of the values (seconds, by Prometheus convention). */
    private readonly bounds: number[],
    registry: Registry,
    private readonly maxSeries = 1000,
  ) {
    // The registry takes any object with name, help, get() and reset(); its types list only its own.
    registry.registerMetric(this as unknown as Metric)
  }

  /**
   * Adds non-cumulative counts per bound (+Inf last) and their values' sum. Returns false, adding
   * nothing, for a new label set past `maxSeries`.
   */
  add(labels: Record<string, string>, buckets: readonly number[], sum: number): boolean {
    const key = JSON.stringify(Object.entries(labels).sort())
    let entry = this.series.get(key)
    if (!entry) {
      if (this.series.size >= this.maxSeries) return false
      entry = { labels, buckets: Array<number>(this.bounds.length + 1).fill(0), sum: 0 }
      this.series.set(key, entry)
    }
    entry.buckets = entry.buckets.map((n, i) => n + (buckets[i] ?? 0))
    entry.sum += sum
    return true
  }

  get() {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] =
      []
    for (const { labels, buckets, sum } of this.series.values()) {
      let cumulative = 0
      buckets.forEach((n, i) => {
        cumulative += n
        const le = this.bounds[i] ?? '+Inf'
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { le, ...labels },
          value: cumulative,
        })
      })
      values.push({ metricName: `${this.name}_sum`, labels, value: sum })
      values.push({ metricName: `${this.name}_count`, labels, value: cumulative })
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    }
  }

  reset(): void {
    this.series.clear()
  }
}

export type Metrics = ReturnType<typeof createMetrics>
