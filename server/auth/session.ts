import { createHash, randomBytes } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Store } from '../db'
import type { User } from '../db/users'
import { forbidden, unauthorized } from '../errors'
import type { GatewayEnv } from '../types'

export const sessionCookie = 'sightline_session'

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Whether the request reached us over https (directly, or through a trusted proxy). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
}

/**
 * Starts a session for `user`: a random 256-bit token in an httpOnly, SameSite=Lax cookie
 * (Secure over https); the database keeps only its SHA-256, so a leaked database holds no
 * usable sessions.
 */
export async function startSession(c: Context<GatewayEnv>, user: User): Promise<void> {
  const { store, config } = c.var
  const token = randomBytes(32).toString('base64url')
  const expiresAt = Date.now() + config.sessionMs
  await store.sessions.create(hashToken(token), user.id, expiresAt)
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    secure: isHttps(c, config.trustProxy),
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.floor(config.sessionMs / 1000),
  })
}

export async function endSession(c: Context<GatewayEnv>): Promise<void> {
  const token = getCookie(c, sessionCookie)
  if (token) await c.var.store.sessions.remove(hashToken(token))
  deleteCookie(c, sessionCookie, { path: '/' })
}

/**
 * Looks up the session on every request (so sign-out and disabling an account take effect at
 * once) and renews it when less than half its lifetime is left.
 */
export function loadSession(store: Store, sessionMs: number): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const token = getCookie(c, sessionCookie)
    if (token && token.length <= 64) {
      const tokenHash = hashToken(token)
      const user = await store.sessions.user(tokenHash)
      if (user) {
        const { expiresAt, ...rest } = user
        c.set('user', rest)
        c.set('sessionHash', tokenHash)
        if (expiresAt - Date.now() < sessionMs / 2) {
          await store.sessions.extend(tokenHash, Date.now() + sessionMs)
        }
      }
    }
    await next()
  }
}

/** The signed-in user, or 401. */
export function currentUser(c: Context<GatewayEnv>): User {
  const user = c.var.user
  if (!user) throw unauthorized()
  return user
}

export const requireUser: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  currentUser(c)
  await next()
}

export const requireAdmin: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  if (currentUser(c).role !== 'admin') throw forbidden('Only an admin may do that')
  await next()
}
