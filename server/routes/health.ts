import { statfs } from 'node:fs/promises'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { isMigrated } from '../db'
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

async function probe(
  run: () => Promise<boolean | z.infer<typeof check>>,
): Promise<z.infer<typeof check>> {
  try {
    const result = await run()
    if (typeof result === 'object') return result
    return result ? { ok: true } : { ok: false, detail: 'not yet' }
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.name : 'error' }
  }
}

export const health = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(alive, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(ready, async (c) => {
      const { store, blobStore, config } = c.var
      const checks = {
        database: await probe(async () => (await store.db.execute('SELECT 1')).rows.length === 1),
        migrations: await probe(() => isMigrated(store.db)),
        blobStore: await probe(async () => {
          await blobStore.check()
          return true
        }),
        disk: await probe(async () => {
          const { bavail, bsize } = await statfs(config.dataDir)
          const free = bavail * bsize
          const detail = `${Math.floor(free / 1024 / 1024)} MiB free`
          return { ok: free >= config.minFreeBytes, detail }
        }),
      }
      const ok = Object.values(checks).every((item) => item.ok)
      return c.json(
        { status: ok ? ('ready' as const) : ('unavailable' as const), checks },
        ok ? 200 : 503,
      )
    })
