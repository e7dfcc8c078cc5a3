import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { currentUser } from '../auth/session'
import { ApiError, notFound } from '../errors'
import type { GatewayEnv } from '../types'
import { jsonBody, jsonResponse, problemResponse, user } from './schemas'

const userWithUsage = user
  .extend({ storageBytes: z.number().int(), records: z.number().int() })
  .openapi('UserWithUsage')

const adminOnly = {
  401: problemResponse('Not signed in'),
  403: problemResponse('Not an admin'),
}

const list = createRoute({
  method: 'get',
  tags: ['Admin'],
  path: '/users',
  summary: 'Every account with the storage it uses',
  responses: {
    200: jsonResponse(z.object({ users: z.array(userWithUsage) }), 'Accounts'),
    ...adminOnly,
  },
})

const update = createRoute({
  method: 'patch',
  tags: ['Admin'],
  path: '/users/{id}',
  summary: 'Disable or enable an account (disabling signs it out everywhere)',
  request: {
    params: z.object({
      id: z
        .string()
        .max(64)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
    ...jsonBody(z.object({ disabled: z.boolean() })),
  },
  responses: {
    200: jsonResponse(z.object({ user }), 'Updated'),
    ...adminOnly,
    404: problemResponse('No such account'),
    409: problemResponse('Admins cannot disable themselves'),
  },
})

/** Mounted behind `requireAdmin`. */
export const admin = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(list, async (c) => c.json({ users: await c.var.store.users.list() }, 200))
    .openapi(update, async (c) => {
      const { id } = c.req.valid('param')
      const { disabled } = c.req.valid('json')
      if (id === currentUser(c).id && disabled) {
        throw new ApiError(409, 'self-disable', 'You cannot disable your own account')
      }
      const updated = await c.var.store.users.setDisabled(id, disabled)
      if (!updated) throw notFound('No such account')
      c.var.log.info({ requestId: c.var.requestId, userId: id, disabled }, 'account updated')
      return c.json({ user: updated }, 200)
    })
