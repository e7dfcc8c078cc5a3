import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { ApiError, badRequest } from '../errors'
import { inferenceBoundsMs } from '../monitoring/histogram'
import type { KeyLimit } from '../telemetry/key-limit'
import type { GatewayEnv } from '../types'
import { jsonResponse, problemResponse } from './schemas'

/** Largest inference batch body, bytes (app.ts applies it before the route runs). */
export const maxInferenceBodyBytes = 64 * 1024

const count = z.number().int().nonnegative()
const name = z
  .string()
  .max(64)
  .regex(/^[\w.@+-]+$/, 'Letters, digits and . @ + - _ only')

const series = z
  .strictObject({
    task: name.openapi({ example: 'object-detection' }),
    model: name.openapi({ example: 'yolo-1.2.0' }),
    provider: z.enum(['webgpu', 'wasm', 'js']),
    count: count.openapi({ description: 'Runs, failed ones included' }),
    failures: count,
    sumMs: z.number().nonnegative().openapi({ description: 'Total ms of the runs that succeeded' }),
    buckets: z
      .array(count)
      .length(inferenceBoundsMs.length + 1)
      .openapi({
        description: `Successful runs per latency bucket, not cumulative; upper bounds ${inferenceBoundsMs.join(', ')} ms, then +Inf`,
      }),
  })
  .superRefine((s, ctx) => {
    if (s.failures > s.count) {
      ctx.addIssue({ code: 'custom', path: ['failures'], message: 'More failures than runs' })
    }
    const timed = s.buckets.reduce((sum, n) => sum + n, 0)
    if (timed !== s.count - s.failures) {
      ctx.addIssue({
        code: 'custom',
        path: ['buckets'],
        message: `The buckets hold ${timed} runs, but count − failures is ${s.count - s.failures}`,
      })
    }
  })

export const inferenceBatch = z
  .strictObject({
    release: z.string().max(200).optional().openapi({ example: 'sightline@0.1.0' }),
    environment: z.string().max(64).optional().openapi({ example: 'production' }),
    periodMs: count.openapi({ description: 'How long the browser collected this batch, ms' }),
    series: z.array(series).max(100),
    fallbacks: count.openapi({ description: 'WebGPU → WASM fallbacks in the period' }),
    cacheHits: count.openapi({ description: 'Model files served from Cache Storage' }),
    cacheMisses: count.openapi({ description: 'Model files downloaded' }),
    maxQueueDepth: count.openapi({ description: 'Longest analysis queue seen in the period' }),
  })
  .openapi('InferenceBatch')

const ref = { $ref: '#/components/schemas/InferenceBatch' }

const ingest = createRoute({
  method: 'post',
  tags: ['Telemetry'],
  path: '/telemetry/inference',
  summary: "The browser's inference figures, aggregated per task, model and provider",
  description:
    'Authenticated by `sentry_key` (a telemetry DSN key) and limited per key together with the ' +
    'envelope routes. The body is JSON, sent as `application/json` or as `text/plain` (what ' +
    '`navigator.sendBeacon` sends). Feeds `/metrics` and the Monitoring history.',
  request: {
    query: z.object({ sentry_key: z.string().max(128).optional() }),
    // The body is parsed by the handler whatever its content type, so the schema is referenced
    // here (a zod schema would make the validator refuse `text/plain`).
    body: {
      content: { 'application/json': { schema: ref }, 'text/plain': { schema: ref } },
      required: true,
    },
  },
  responses: {
    202: jsonResponse(z.object({ accepted: z.number().int() }), 'Stored; the number of series'),
    400: problemResponse('Not JSON, or not a valid batch'),
    403: problemResponse('Unknown DSN key'),
    413: problemResponse(`The body is larger than ${maxInferenceBodyBytes} bytes`),
    429: problemResponse('Over the per-key limit; see Retry-After'),
  },
})

/** Inference aggregates from the app: Prometheus metrics and per-minute history. */
export const inference = (keyLimit: KeyLimit) => {
  const app = new OpenAPIHono<GatewayEnv>()
  app.openAPIRegistry.register('InferenceBatch', inferenceBatch)
  return app.openapi(ingest, async (c) => {
    const { store, metrics } = c.var
    await keyLimit.admit(c, c.req.valid('query').sentry_key)
    let body: unknown
    try {
      body = JSON.parse(await c.req.text())
    } catch {
      throw new ApiError(400, 'bad-json', 'The body is not JSON')
    }
    const parsed = inferenceBatch.safeParse(body)
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }))
      throw badRequest('The batch is not valid', errors)
    }
    const batch = parsed.data

    const now = Date.now()
    await store.monitoring.addInference(now - (now % 60_000), batch.series)
    for (const s of batch.series) {
      const labels = { task: s.task, model: s.model, provider: s.provider }
      // Past the series cap the figures are kept in the history only.
      if (!metrics.inferenceDuration.add(labels, s.buckets, s.sumMs / 1000)) continue
      metrics.inferenceRuns.inc({ ...labels, outcome: 'ok' }, s.count - s.failures)
      metrics.inferenceRuns.inc({ ...labels, outcome: 'failed' }, s.failures)
    }
    metrics.inferenceFallbacks.inc(batch.fallbacks)
    metrics.modelCache.inc({ outcome: 'hit' }, batch.cacheHits)
    metrics.modelCache.inc({ outcome: 'miss' }, batch.cacheMisses)
    metrics.inferenceQueueDepth.set(batch.maxQueueDepth)
    return c.json({ accepted: batch.series.length }, 202)
  })
}
