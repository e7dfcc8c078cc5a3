import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { currentUser } from '../auth/session'
import { recordKinds, type Change } from '../db/records'
import { ApiError, badRequest, notFound } from '../errors'
import type { GatewayEnv } from '../types'
import { isValidId, recordData, storedForm } from './record-data'
import { jsonBody, jsonResponse, problemResponse, uuid } from './schemas'
import { checkQuota, storedRecord } from './sync'

const params = z.object({
  kind: z.enum(recordKinds).openapi({ param: { name: 'kind', in: 'path' } }),
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

const writeMeta = {
  deviceId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[\w-]+$/),
  changeId: uuid,
  baseSeq: z.number().int().nonnegative().nullable().default(null),
}

const outcome = z.object({
  status: z.enum(['applied', 'unchanged']),
  seq: z.number().int(),
  overwrote: z.object({ deviceId: z.string(), updatedAt: z.number().int() }).optional(),
})

const common = {
  401: problemResponse('Not signed in'),
  404: problemResponse('No such record for this user'),
}

const read = createRoute({
  method: 'get',
  tags: ['Records'],
  path: '/{kind}/{id}',
  summary: 'Read one record',
  request: { params },
  responses: { 200: jsonResponse(storedRecord, 'The record (deleted ones too)'), ...common },
})

const write = createRoute({
  method: 'put',
  tags: ['Records'],
  path: '/{kind}/{id}',
  summary: 'Create or replace one record',
  request: { params, ...jsonBody(z.object({ ...writeMeta, data: z.unknown() })) },
  responses: {
    200: jsonResponse(outcome, 'Stored'),
    400: problemResponse('Invalid record'),
    409: problemResponse('A file the record points at is not uploaded'),
    413: problemResponse('Record too large, or the quota would be exceeded'),
    ...common,
  },
})

const remove = createRoute({
  method: 'delete',
  tags: ['Records'],
  path: '/{kind}/{id}',
  summary: 'Delete one record (leaves a tombstone that syncs)',
  request: { params, ...jsonBody(z.object(writeMeta)) },
  responses: { 200: jsonResponse(outcome, 'Deleted'), ...common },
})

export const records = () =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(read, async (c) => {
      const { kind, id } = c.req.valid('param')
      const record = await c.var.store.records.get(currentUser(c).id, kind, id)
      if (!record) throw notFound(`No ${kind} ${id}`)
      return c.json(record, 200)
    })
    .openapi(write, async (c) => {
      const user = currentUser(c)
      const { kind, id } = c.req.valid('param')
      const body = c.req.valid('json')
      const parsed = recordData[kind].safeParse(body.data)
      if (!parsed.success) {
        throw badRequest(
          `Invalid ${kind}`,
          parsed.error.issues.map((issue) => ({
            path: ['data', ...issue.path].join('.'),
            message: issue.message,
          })),
        )
      }
      if (!isValidId(kind, id, parsed.data)) {
        throw badRequest(`Invalid ${kind} id`, [{ path: 'id', message: `Not a valid ${kind} id` }])
      }
      const change: Change = {
        kind,
        id,
        changeId: body.changeId,
        baseSeq: body.baseSeq,
        deleted: false,
        ...storedForm(kind, parsed.data, 'The record'),
      }
      await checkQuota(c, user.id, [change])
      const [result] = await c.var.store.records.apply(user.id, body.deviceId, [change])
      if (!result || result.status === 'rejected') {
        throw new ApiError(409, 'missing-blob', result?.status === 'rejected' ? result.detail : '')
      }
      return c.json({ status: result.status, seq: result.seq, overwrote: result.overwrote }, 200)
    })
    .openapi(remove, async (c) => {
      const user = currentUser(c)
      const { kind, id } = c.req.valid('param')
      const body = c.req.valid('json')
      if (!(await c.var.store.records.get(user.id, kind, id))) throw notFound(`No ${kind} ${id}`)
      const [result] = await c.var.store.records.apply(user.id, body.deviceId, [
        { kind, id, changeId: body.changeId, baseSeq: body.baseSeq, deleted: true, blobRefs: [] },
      ])
      if (!result || result.status === 'rejected') throw new Error('A deletion cannot be rejected')
      return c.json({ status: result.status, seq: result.seq, overwrote: result.overwrote }, 200)
    })
