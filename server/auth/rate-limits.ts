import type { MiddlewareHandler } from 'hono'
import { rateLimiter } from 'hono-rate-limiter'
import type { Config } from '../env'
import { ApiError } from '../errors'
import { clientIp } from '../lib/client-ip'
import type { GatewayEnv } from '../types'

const tooMany = (resetTime: Date | undefined) => {
  const retryAfterS = Math.max(
    1,
    Math.ceil(((resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000),
  )
  return new ApiError(429, 'rate-limited', 'Too many attempts. Wait a while and try again.', {
    retryAfterS,
  })
}

/**
 * Limits for the sign-in and sign-up routes: every attempt counts per IP; failed attempts also
 * count per account, so one address cannot be guessed at from many IPs.
 */
export function loginLimits(
  config: Config,
): [MiddlewareHandler<GatewayEnv>, MiddlewareHandler<GatewayEnv>] {
  const { perIp, perAccount, windowMs } = config.loginLimit
  const byIp = rateLimiter<GatewayEnv>({
    windowMs,
    limit: perIp,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => `ip:${clientIp(c, config.trustProxy)}`,
    handler: (c) => {
      throw tooMany(c.get('rateLimit')?.resetTime)
    },
  })
  const byAccount = rateLimiter<GatewayEnv>({
    windowMs,
    limit: perAccount,
    standardHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: async (c) => {
      try {
        const body: unknown = await c.req.json()
        const email = (body as { email?: unknown }).email
        if (typeof email === 'string') return `account:${email.trim().toLowerCase()}`
      } catch {
        // Not JSON: the validator answers 400; count it against the IP only.
      }
      return `account-unknown:${clientIp(c, config.trustProxy)}`
    },
    handler: (c) => {
      throw tooMany(c.get('rateLimit')?.resetTime)
    },
  })
  return [byIp, byAccount]
}
