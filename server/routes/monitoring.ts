import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Sampler } from '../monitoring/sampler'
import type { GatewayEnv } from '../types'
import { jsonResponse, problemResponse } from './schemas'

/** Step of the series for each range the Monitoring page offers: hours → ms. */
export const stepsMs = { 1: 60_000, 6: 300_000, 24: 900_000, 168: 7_200_000 } as const

const hours = z
  .enum(['1', '6', '24', '168'])
  .default('24')
  .openapi({ param: { name: 'hours', in: 'query' }, description: 'How far back' })

const latency = z.number().nullable().openapi({ description: 'ms; null when nothing was timed' })

const seriesBody = z
  .object({
    from: z.number().int().openapi({ description: 'Epoch ms, start of the first step' }),
    to: z.number().int().openapi({ description: 'Epoch ms (now)' }),
    stepMs: z.number().int(),
    gateway: z.array(
      z.object({
        t: z.number().int(),
        requests: z.number().int(),
        serverErrors: z.number().int(),
        clientErrors: z.number().int(),
        p50Ms: latency,
        p95Ms: latency,
        syncInBytes: z.number().int(),
        syncOutBytes: z.number().int(),
        syncFailures: z.number().int(),
      }),
    ),
    inference: z.array(
      z.object({
        t: z.number().int(),
        task: z.string(),
        model: z.string(),
        provider: z.string(),
        count: z.number().int(),
        failures: z.number().int(),
        p50Ms: latency,
        p95Ms: latency,
      }),
    ),
  })
  .openapi('MonitoringSeries')

const series = createRoute({
  method: 'get',
  tags: ['Admin'],
  path: '/monitoring/series',
  summary: 'Gateway, client error and inference figures over time, for charts',
  description:
    'One point per step that has data, oldest first. Steps: 1 min for 1 h, 5 min for 6 h, ' +
    '15 min for 24 h, 2 h for 168 h.',
  request: { query: z.object({ hours }) },
  responses: {
    200: jsonResponse(seriesBody, 'Series'),
    401: problemResponse('Not signed in'),
    403: problemResponse('Not an admin'),
  },
})

/** Mounted under `/admin`, behind `requireAdmin`; `sampler` writes the current minute first. */
export const monitoring = (sampler: Sampler) =>
  new OpenAPIHono<GatewayEnv>().openapi(series, async (c) => {
    await sampler.flush()
    const stepMs = stepsMs[c.req.valid('query').hours]
    const to = Date.now()
    const from = to - Number(c.req.valid('query').hours) * 3_600_000
    return c.json(await c.var.store.monitoring.series(from - (from % stepMs), to, stepMs), 200)
  })
