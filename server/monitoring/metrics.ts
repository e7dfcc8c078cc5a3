import { prometheus } from '@hono/prometheus'
import { Counter, Histogram, Registry } from 'prom-client'

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
  }
}

export type Metrics = ReturnType<typeof createMetrics>
