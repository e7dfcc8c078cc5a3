import { randomUUID } from 'node:crypto'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { hashPassword, verifyNobody, verifyPassword } from '../auth/password'
import { endSession, startSession } from '../auth/session'
import { ApiError, conflict } from '../errors'
import type { GatewayEnv } from '../types'
import { credentials, jsonBody, jsonResponse, problemResponse, user } from './schemas'

const signUp = createRoute({
  method: 'post',
  tags: ['Auth'],
  path: '/sign-up',
  summary: 'Create an account and sign in (the first account is the admin)',
  request: jsonBody(credentials),
  responses: {
    201: jsonResponse(z.object({ user }), 'Signed up and signed in'),
    400: problemResponse('Invalid email or password'),
    403: problemResponse('Sign-up is closed on this server'),
    409: problemResponse('The email cannot be used'),
    429: problemResponse('Too many attempts'),
  },
})

const signIn = createRoute({
  method: 'post',
  tags: ['Auth'],
  path: '/sign-in',
  summary: 'Sign in; sets the session cookie',
  request: jsonBody(credentials.extend({ password: z.string().min(1).max(256) })),
  responses: {
    200: jsonResponse(z.object({ user }), 'Signed in'),
    400: problemResponse('Invalid request'),
    401: problemResponse('Wrong email or password (the same answer for both)'),
    403: problemResponse('The account is disabled'),
    429: problemResponse('Too many attempts'),
  },
})

const signOut = createRoute({
  method: 'post',
  tags: ['Auth'],
  path: '/sign-out',
  summary: 'End this session',
  responses: { 204: { description: 'Signed out (also when no session was open)' } },
})

const session = createRoute({
  method: 'get',
  tags: ['Auth'],
  path: '/session',
  summary: 'Who is signed in (user null when nobody is)',
  responses: {
    200: jsonResponse(z.object({ user: user.nullable() }), 'The signed-in user, or null'),
  },
})

const signupClosed = () =>
  new ApiError(403, 'signup-closed', 'This server does not take new accounts; ask its admin')

const wrongCredentials = () =>
  new ApiError(401, 'wrong-credentials', 'The email or password is not right')

export const auth = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(signUp, async (c) => {
      const { email, password } = c.req.valid('json')
      const closed = c.var.config.signup === 'closed'
      if (closed && (await c.var.store.users.count()) > 0) throw signupClosed()
      const created = await c.var.store.users.create(
        { id: randomUUID(), email, passwordHash: await hashPassword(password) },
        closed,
      )
      // Another first sign-up won the race while this password was hashed.
      if (!created && closed && (await c.var.store.users.count()) > 0) throw signupClosed()
      // Without email verification a sign-up cannot hide that the address is taken; the answer
      // is rate-limited like sign-in.
      if (!created) throw conflict('An account with this email cannot be created')
      c.var.log.info({ requestId: c.var.requestId, userId: created.id }, 'account created')
      await startSession(c, created)
      return c.json({ user: created }, 201)
    })
    .openapi(signIn, async (c) => {
      const { email, password } = c.req.valid('json')
      const found = await c.var.store.users.byEmail(email)
      const ok = found
        ? await verifyPassword(found.passwordHash, password)
        : await verifyNobody(password)
      if (!found || !ok) throw wrongCredentials()
      if (found.disabled) throw new ApiError(403, 'account-disabled', 'This account is disabled')
      const signedIn = {
        id: found.id,
        email: found.email,
        role: found.role,
        disabled: false,
        createdAt: found.createdAt,
      }
      await startSession(c, signedIn)
      return c.json({ user: signedIn }, 200)
    })
    .openapi(signOut, async (c) => {
      await endSession(c)
      return c.body(null, 204)
    })
    .openapi(session, async (c) => c.json({ user: c.var.user ?? null }, 200))
