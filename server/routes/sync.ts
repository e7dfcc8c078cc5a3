import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { currentUser } from '../auth/session'
import { recordKinds, type Change } from '../db/records'
import { ApiError } from '../errors'
import type { GatewayEnv } from '../types'
import { isValidId, recordData, storedForm } from './record-data'
import { jsonBody, jsonResponse, problemResponse, uuid } from './schemas'

const kind = z.enum(recordKinds)

const change = z
  .object({
    kind,
    id: z.string().min(1).max(128),
    changeId: uuid.describe('Client-generated; pushing the same change again is a no-op'),
    baseSeq: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .describe('The seq of the version the change was made on; null for a new record'),
    deleted: z.boolean(),
    data: z.unknown().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.deleted) return
    const parsed = recordData[value.kind].safeParse(value.data)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['data', ...issue.path] })
      }
    } else if (!isValidId(value.kind, value.id, parsed.data)) {
      ctx.addIssue({ code: 'custom', message: `Not a valid ${value.kind} id`, path: ['id'] })
    }
  })
  .openapi('Change')

export const storedRecord = z
  .object({
    kind,
    id: z.string(),
    seq: z.number().int(),
    deleted: z.boolean(),
    data: z.unknown().describe('null for a deleted record'),
    deviceId: z.string(),
    updatedAt: z.number().int(),
  })
  .openapi('Record')

const outcome = z
  .object({
    kind,
    id: z.string(),
    status: z.enum(['applied', 'unchanged', 'rejected']),
    seq: z.number().int().optional(),
    overwrote: z.object({ deviceId: z.string(), updatedAt: z.number().int() }).optional(),
    reason: z.enum(['missing-blob']).optional(),
    detail: z.string().optional(),
  })
  .openapi('ChangeOutcome')

const deviceId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[\w-]+$/)

const push = createRoute({
  method: 'post',
  tags: ['Sync'],
  path: '/push',
  summary: 'Push a batch of changes',
  description:
    'Applies the changes in order in one transaction. Last writer wins per record, in the order ' +
    'the gateway receives changes; `overwrote` marks a change that replaced a version another ' +
    'device wrote after `baseSeq`.',
  request: jsonBody(
    z.object({ deviceId, changes: z.array(change).min(1).max(500) }).openapi('PushRequest'),
  ),
  responses: {
    200: jsonResponse(
      z.object({ outcomes: z.array(outcome), cursor: z.number().int() }),
      'What became of each change, in order',
    ),
    400: problemResponse('Invalid changes'),
    401: problemResponse('Not signed in'),
    413: problemResponse('A record or the request is too large, or the quota would be exceeded'),
  },
})

const pullAnswer = z.object({
  changes: z.array(storedRecord),
  cursor: z.number().int().describe('Pass as `since` next time'),
  hasMore: z.boolean(),
})

const pull = createRoute({
  method: 'get',
  tags: ['Sync'],
  path: '/pull',
  summary: 'Pull changes after a cursor',
  request: {
    query: z.object({
      since: z.coerce.number().int().nonnegative().default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(500),
    }),
  },
  responses: {
    200: jsonResponse(pullAnswer, 'Changes in sync order'),
    400: problemResponse('Invalid cursor'),
    401: problemResponse('Not signed in'),
  },
})

/**
 * Refuses changes that would take the user past their quota (files and records count alike);
 * changes that shrink or keep the size are always accepted, so a full account can still edit.
 */
export async function checkQuota(c: Context<GatewayEnv>, userId: string, changes: Change[]) {
  const incoming = changes.reduce(
    (sum, change) => sum + (change.json ? Buffer.byteLength(change.json) : 0),
    0,
  )
  const replaced = await c.var.store.records.bytesOf(userId, changes)
  if (incoming <= replaced) return
  const used = await c.var.store.blobs.committedBytes(userId)
  if (used - replaced + incoming > c.var.config.quotaBytes) {
    throw new ApiError(413, 'quota-exceeded', 'Your storage on the gateway is full')
  }
}

export const sync = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(push, async (c) => {
      const user = currentUser(c)
      const body = c.req.valid('json')
      const changes: Change[] = body.changes.map((item, index) => {
        if (item.deleted) return { ...item, blobRefs: [] }
        const data = recordData[item.kind].parse(item.data)
        return { ...item, ...storedForm(item.kind, data, `Change ${index}`) }
      })
      await checkQuota(c, user.id, changes)
      const outcomes = await c.var.store.records.apply(user.id, body.deviceId, changes)
      for (const outcome of outcomes) {
        c.var.metrics.syncChanges.inc({
          direction: 'push',
          kind: outcome.kind,
          outcome: outcome.status,
        })
      }
      c.var.metrics.syncBytes.inc(
        { direction: 'push', what: 'records' },
        changes.reduce((sum, change) => sum + (change.json?.length ?? 0), 0),
      )
      const cursor = await c.var.store.records.cursor(user.id)
      return c.json({ outcomes, cursor }, 200)
    })
    .openapi(pull, async (c) => {
      const user = currentUser(c)
      const { since, limit } = c.req.valid('query')
      const { json, count } = await c.var.store.records.pullJson(user.id, since, limit)
      c.var.metrics.syncChanges.inc({ direction: 'pull', kind: 'any', outcome: 'sent' }, count)
      c.var.metrics.syncBytes.inc({ direction: 'pull', what: 'records' }, json.length)
      // The text has the documented shape, built by SQLite; the cast lets a raw body stand in
      // for the typed answer (the client's types come from the route's schema).
      return c.body(json, 200, { 'Content-Type': 'application/json' }) as never
    })
