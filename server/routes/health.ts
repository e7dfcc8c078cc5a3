import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { checkReadiness } from '../monitoring/readiness'
import type { GatewayEnv } from '../types'
import { jsonResponse } from './schemas'

const check = z.object({ ok: z.boolean(), detail: z.string().optional() })
const readiness = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({ database: check, migrations: check, blobStore: check, disk: check }),
  })
  .openapi('Readiness')

const alive = createRoute({
  method: 'get',
  tags: ['Health'],
  path: '/health',
  summary: 'Liveness: the process answers',
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive') },
})

const ready = createRoute({
  method: 'get',
  tags: ['Health'],
  path: '/ready',
  summary:
    'Readiness: database reachable, migrations applied, file storage answering, disk space left',
  responses: {
    200: jsonResponse(readiness, 'Ready for traffic'),
    503: jsonResponse(readiness, 'Not ready'),
  },
})

export const health = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(alive, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(ready, async (c) => {
      const { ok, checks } = await checkReadiness(c.var)
      return c.json(
        { status: ok ? ('ready' as const) : ('unavailable' as const), checks },
        ok ? 200 : 503,
      )
    })
