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

const telemetryIssue = z
  .object({
    id: z.number().int(),
    type: z.string(),
    title: z.string(),
    culprit: z.string().optional(),
    level: z.string().optional(),
    count: z.number().int(),
    users: z.number().int(),
    releases: z.array(z.string()),
    firstSeen: z.number().int(),
    lastSeen: z.number().int(),
  })
  .openapi('TelemetryIssue')

const issues = createRoute({
  method: 'get',
  tags: ['Admin'],
  path: '/telemetry/issues',
  summary: 'Error issues reported by the app, most recent first',
  responses: {
    200: jsonResponse(z.object({ issues: z.array(telemetryIssue) }), 'Issues'),
    ...adminOnly,
  },
})

const events = createRoute({
  method: 'get',
  tags: ['Admin'],
  path: '/telemetry/issues/{id}/events',
  summary: "An issue's latest events with their stack traces",
  request: {
    params: z.object({
      id: z.coerce
        .number()
        .int()
        .positive()
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        events: z.array(
          z.object({ eventId: z.string(), receivedAt: z.number().int(), payload: z.unknown() }),
        ),
      }),
      'Events, newest first',
    ),
    ...adminOnly,
  },
})

/** Mounted behind `requireAdmin`. */
export const admin = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(list, async (c) => c.json({ users: await c.var.store.users.list() }, 200))
    .openapi(issues, async (c) => c.json({ issues: await c.var.store.telemetry.issues() }, 200))
    .openapi(events, async (c) =>
      c.json({ events: await c.var.store.telemetry.events(c.req.valid('param').id) }, 200),
    )
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
