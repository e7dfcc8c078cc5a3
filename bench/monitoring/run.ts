// Monitoring benchmark (`npm run bench:monitoring`; a script, not a test).
//
// What the monitoring costs the gateway once its history is full (30 days):
// 1. Starts a real gateway in-process on a fresh libSQL file (createTestGateway) and fills the
//    history as the sampler and the inference route would have over --days days: one gateway row
//    a minute, and --series inference series (task × model × provider) a minute.
// 2. Times, --runs times each (median): one run of the alert rules (sampler flush included),
//    the Monitoring page's series query for 1 h, 24 h and 7 d, one inference batch through
//    POST /api/telemetry/inference, and — the reference, in the same process and database —
//    GET /api/ready, which every load balancer calls every few seconds.
// Prints the medians and each one's ratio to the reference.
//
// Options: --days 30 --series 12 --runs 7

import { parseArgs } from 'node:util'
import { createTestGateway } from '../../server/_testing/gateway'
import { createStore } from '../../server/db'
import { gatewayBoundsMs, inferenceBoundsMs } from '../../server/monitoring/histogram'

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    series: { type: 'string', default: '12' },
    runs: { type: 'string', default: '7' },
  },
})
const days = Number(values.days)
const seriesCount = Number(values.series)
const runs = Number(values.runs)
const minute = 60_000

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn() // warm-up
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await fn()
    samples.push(performance.now() - started)
  }
  return median(samples)
}

/** Buckets with `n` runs spread over the middle of the range. */
const spread = (length: number, n: number) =>
  Array.from({ length }, (_, i) => (i >= 3 && i < 7 ? n / 4 : 0))

const gateway = await createTestGateway({ LOG_LEVEL: 'silent' })
try {
  const store = createStore(gateway.db)
  const now = Date.now() - (Date.now() % minute)
  const minutes = days * 24 * 60
  const series = Array.from({ length: seriesCount }, (_, i) => ({
    task: ['text-recognition', 'face-detection', 'object-detection', 'person-segmentation'][i % 4]!,
    model: `model-${Math.floor(i / 4)}.0`,
    provider: i % 2 ? 'webgpu' : 'wasm',
    count: 8,
    failures: 0,
    sumMs: 800,
    buckets: spread(inferenceBoundsMs.length + 1, 8),
  }))
  const filling = performance.now()
  // Raw batched inserts in the store's layout (003-monitoring.sql): the store's own upserts, one
  // transaction each, would take minutes for 30 days.
  const l = Array.from({ length: gatewayBoundsMs.length + 1 }, (_, i) => `l${i}`)
  const b = Array.from({ length: inferenceBoundsMs.length + 1 }, (_, i) => `b${i}`)
  const marks = (n: number) => Array<string>(n).fill('?').join(', ')
  const gatewaySql = `INSERT INTO monitor_minutes (minute, requests, server_errors, sync_in_bytes, sync_out_bytes, sync_failures, ${l.join(', ')}) VALUES (${marks(6 + l.length)})`
  const inferenceSql = `INSERT INTO inference_minutes (minute, task, model, provider, count, failures, sum_ms, ${b.join(', ')}) VALUES (${marks(7 + b.length)})`
  for (let start = 0; start < minutes; start += 500) {
    const statements = []
    for (let m = start; m < Math.min(minutes, start + 500); m++) {
      const at = now - (minutes - m) * minute
      const latency = spread(l.length, 120)
      statements.push({ sql: gatewaySql, args: [at, 120, 1, 50_000, 80_000, 0, ...latency] })
      for (const s of series) {
        statements.push({
          sql: inferenceSql,
          args: [at, s.task, s.model, s.provider, s.count, s.failures, s.sumMs, ...s.buckets],
        })
      }
    }
    await gateway.db.batch(statements)
  }
  const fillS = (performance.now() - filling) / 1000
  console.log(
    `history: ${minutes} gateway minutes and ${minutes * seriesCount} inference rows (${days} d × ${seriesCount} series), written in ${fillS.toFixed(1)} s`,
  )

  const body = JSON.stringify({
    release: 'sightline@bench',
    environment: 'bench',
    periodMs: minute,
    series,
    fallbacks: 0,
    cacheHits: 1,
    cacheMisses: 0,
    maxQueueDepth: 2,
  })
  const request = (path: string, init?: RequestInit) =>
    Promise.resolve(gateway.app.request(path, init)).then(async (response) => {
      if (response.status >= 400) throw new Error(`${path}: ${response.status}`)
      await response.arrayBuffer()
    })

  const reference = await time(() => request('/api/ready'))
  const figures: [string, number][] = [
    ['GET /api/ready (reference)', reference],
    ['alert rules, one run', await time(() => gateway.app.alerting.evaluate())],
    ['series, 1 h', await time(() => store.monitoring.series(now - 3_600_000, now, minute))],
    ['series, 24 h', await time(() => store.monitoring.series(now - 86_400_000, now, 15 * minute))],
    [
      'series, 7 d',
      await time(() => store.monitoring.series(now - 7 * 86_400_000, now, 120 * minute)),
    ],
    [
      'POST /api/telemetry/inference',
      await time(() =>
        request('/api/telemetry/inference?sentry_key=sightline', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        }),
      ),
    ],
  ]
  console.log(`\nmedian of ${runs} runs each, in-process (no network):\n`)
  for (const [name, ms] of figures) {
    console.log(
      `${name.padEnd(32)} ${ms.toFixed(2).padStart(9)} ms  ${(ms / reference).toFixed(1).padStart(7)}× ready`,
    )
  }
} finally {
  gateway.close()
}
