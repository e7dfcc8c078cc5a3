import type { Context } from 'hono'
import { MemoryStore } from 'hono-rate-limiter'
import { ApiError } from '../errors'
import type { GatewayEnv } from '../types'

/**
 * The gate in front of every telemetry ingest route: the public DSN key must be one of
 * `config.telemetry.keys` (403), and each key may post `perMinute` bodies a minute across all of
 * those routes together (429 with Retry-After, and Sentry's own rate-limit header).
 */
export function createKeyLimit(perMinute: number) {
  const limits = new MemoryStore<GatewayEnv>()
  limits.init({ windowMs: 60_000 } as Parameters<typeof limits.init>[0])

  return {
    async admit(c: Context<GatewayEnv>, key: string | undefined): Promise<void> {
      if (!key || !c.var.config.telemetry.keys.includes(key)) {
        throw new ApiError(403, 'unknown-key', 'This DSN key is not accepted here')
      }
      const { totalHits, resetTime } = await limits.increment(key)
      if (totalHits > perMinute) {
        const retryAfterS = Math.max(
          1,
          Math.ceil(((resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000),
        )
        c.header('X-Sentry-Rate-Limits', `${retryAfterS}::key`)
        throw new ApiError(429, 'rate-limited', 'Too many events for this key', { retryAfterS })
      }
    },
  }
}

export type KeyLimit = ReturnType<typeof createKeyLimit>
