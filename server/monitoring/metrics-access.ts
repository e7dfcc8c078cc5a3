import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import type { Config } from '../env'
import { clientIp } from '../lib/client-ip'

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1', 'in-process'])

/**
 * Whether the caller may read /metrics: with `SIGHTLINE_METRICS_TOKEN` set, only with that bearer
 * token; without one, only from this machine (behind a proxy on the same host, set a token).
 */
export function mayReadMetrics(c: Context, config: Config): boolean {
  if (config.metricsToken) {
    const sent = c.req.header('authorization')?.replace(/^Bearer /, '') ?? ''
    const expected = Buffer.from(config.metricsToken)
    const given = Buffer.from(sent)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
  return loopback.has(clientIp(c, config.trustProxy))
}
