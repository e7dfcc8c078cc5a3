import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { hashPassword, verifyPassword } from '../auth/password'
import { currentUser, endSession } from '../auth/session'
import { ApiError } from '../errors'
import type { GatewayEnv } from '../types'
import { jsonBody, jsonResponse, password, problemResponse, user } from './schemas'

const usage = z
  .object({
    fileBytes: z.number().int(),
    recordBytes: z.number().int(),
    records: z.number().int(),
    quotaBytes: z.number().int(),
  })
  .openapi('Usage')

const read = createRoute({
  method: 'get',
  tags: ['Account'],
  path: '/',
  summary: 'The signed-in account and what it keeps on the gateway',
  responses: {
    200: jsonResponse(z.object({ user, usage }), 'Account'),
    401: problemResponse('Not signed in'),
  },
})

const changePassword = createRoute({
  method: 'post',
  tags: ['Account'],
  path: '/password',
  summary: 'Change the password; signs out every other session',
  request: jsonBody(
    z.object({ currentPassword: z.string().min(1).max(256), newPassword: password }),
  ),
  responses: {
    204: { description: 'Changed' },
    400: problemResponse('The new password is not acceptable'),
    401: problemResponse('Not signed in'),
    403: problemResponse('The current password is not right'),
  },
})

const remove = createRoute({
  method: 'delete',
  tags: ['Account'],
  path: '/',
  summary: 'Delete the account and everything it keeps on the gateway',
  request: jsonBody(z.object({ password: z.string().min(1).max(256) })),
  responses: {
    204: { description: 'Deleted' },
    401: problemResponse('Not signed in'),
    403: problemResponse('The password is not right'),
  },
})

const wrongPassword = () => new ApiError(403, 'wrong-password', 'The password is not right')

export const account = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(read, async (c) => {
      const me = currentUser(c)
      const used = await c.var.store.users.usage(me.id)
      return c.json({ user: me, usage: { ...used, quotaBytes: c.var.config.quotaBytes } }, 200)
    })
    .openapi(changePassword, async (c) => {
      const me = currentUser(c)
      const { currentPassword, newPassword } = c.req.valid('json')
      const stored = await c.var.store.users.byId(me.id)
      if (!stored || !(await verifyPassword(stored.passwordHash, currentPassword))) {
        throw wrongPassword()
      }
      await c.var.store.users.setPassword(
        me.id,
        await hashPassword(newPassword),
        c.var.sessionHash ?? '',
      )
      return c.body(null, 204)
    })
    .openapi(remove, async (c) => {
      const me = currentUser(c)
      const stored = await c.var.store.users.byId(me.id)
      if (!stored || !(await verifyPassword(stored.passwordHash, c.req.valid('json').password))) {
        throw wrongPassword()
      }
      // The partial files of unfinished uploads lose their rows with the account: remove them now.
      const pending = await c.var.store.blobs.uploadIds(me.id)
      await c.var.store.users.remove(me.id)
      await Promise.all(pending.map((id) => c.var.staging.remove(id)))
      await endSession(c)
      c.var.log.info({ requestId: c.var.requestId, userId: me.id }, 'account deleted')
      return c.body(null, 204)
    })
