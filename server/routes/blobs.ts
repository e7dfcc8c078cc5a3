import { randomUUID } from 'node:crypto'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { currentUser } from '../auth/session'
import { ChunkTooLargeError } from '../blobs/staging'
import { ApiError, conflict, notFound } from '../errors'
import type { GatewayEnv } from '../types'
import { jsonBody, jsonResponse, problemResponse, sha256 } from './schemas'

const upload = z
  .object({
    id: z.string(),
    sha256,
    bytes: z.number().int(),
    received: z.number().int().describe('Bytes safely stored; the next chunk starts here'),
    chunkBytes: z.number().int().describe('Largest chunk accepted'),
  })
  .openapi('Upload')

const uploadId = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' } }),
})

const signedIn = { 401: problemResponse('Not signed in') }

const start = createRoute({
  method: 'post',
  tags: ['Files'],
  path: '/uploads',
  summary: 'Start a resumable upload of one file',
  description:
    'Answers `stored` at once when the user already has a file with this SHA-256. Otherwise ' +
    'send the bytes in order with PUT …/uploads/{id}?offset=N, then POST …/complete.',
  request: jsonBody(z.object({ sha256, bytes: z.number().int().nonnegative() })),
  responses: {
    200: jsonResponse(z.object({ status: z.literal('stored') }), 'Already stored'),
    201: jsonResponse(z.object({ status: z.literal('started'), upload }), 'Send the bytes'),
    ...signedIn,
    413: problemResponse('The file is too large, or the quota would be exceeded'),
  },
})

const state = createRoute({
  method: 'get',
  tags: ['Files'],
  path: '/uploads/{id}',
  summary: 'Where an upload stands (to resume it)',
  request: { params: uploadId },
  responses: {
    200: jsonResponse(upload, 'The upload'),
    ...signedIn,
    404: problemResponse('No such upload'),
  },
})

const chunk = createRoute({
  method: 'put',
  tags: ['Files'],
  path: '/uploads/{id}',
  summary: 'Send the bytes from `offset` on',
  request: {
    params: uploadId,
    query: z.object({ offset: z.coerce.number().int().nonnegative() }),
    body: {
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
      required: true,
    },
  },
  responses: {
    200: jsonResponse(z.object({ received: z.number().int() }), 'Stored up to `received`'),
    ...signedIn,
    404: problemResponse('No such upload'),
    409: problemResponse('`offset` is not where the upload stands; GET it and resume'),
    413: problemResponse('The chunk is too large'),
  },
})

const complete = createRoute({
  method: 'post',
  tags: ['Files'],
  path: '/uploads/{id}/complete',
  summary: 'Check the SHA-256 and store the file',
  request: { params: uploadId },
  responses: {
    201: jsonResponse(z.object({ status: z.literal('stored') }), 'Stored'),
    ...signedIn,
    404: problemResponse('No such upload'),
    409: problemResponse('Bytes are missing'),
    422: problemResponse('The bytes do not match the SHA-256; the upload is discarded'),
  },
})

const cancel = createRoute({
  method: 'delete',
  tags: ['Files'],
  path: '/uploads/{id}',
  summary: 'Abandon an upload',
  request: { params: uploadId },
  responses: { 204: { description: 'Gone' }, ...signedIn, 404: problemResponse('No such upload') },
})

const download = createRoute({
  method: 'get',
  tags: ['Files'],
  path: '/{sha256}',
  summary: 'Download a file (streamed)',
  request: {
    params: z.object({ sha256: sha256.openapi({ param: { name: 'sha256', in: 'path' } }) }),
  },
  responses: {
    200: {
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
      description: 'The bytes',
    },
    304: { description: 'Not modified' },
    ...signedIn,
    404: problemResponse('The user has no such file'),
  },
})

export const blobs = (withLock: <T>(key: string, task: () => Promise<T>) => Promise<T>) =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(start, async (c) => {
      const me = currentUser(c)
      const { sha256: sha, bytes } = c.req.valid('json')
      const { store, config } = c.var
      if (bytes > config.maxBlobBytes) {
        throw new ApiError(
          413,
          'file-too-large',
          `Files up to ${config.maxBlobBytes} bytes are accepted`,
        )
      }
      if ((await store.blobs.owns(me.id, sha)) !== undefined) {
        return c.json({ status: 'stored' as const }, 200)
      }
      if ((await store.blobs.committedBytes(me.id)) + bytes > config.quotaBytes) {
        throw new ApiError(413, 'quota-exceeded', 'Your storage on the gateway is full')
      }
      const created = await store.blobs.createUpload({
        id: randomUUID(),
        userId: me.id,
        sha256: sha,
        bytes,
      })
      return c.json(
        { status: 'started' as const, upload: { ...created, chunkBytes: config.maxChunkBytes } },
        201,
      )
    })
    .openapi(state, async (c) => {
      const found = await c.var.store.blobs.upload(currentUser(c).id, c.req.valid('param').id)
      if (!found) throw notFound('No such upload')
      return c.json({ ...found, chunkBytes: c.var.config.maxChunkBytes }, 200)
    })
    .openapi(chunk, async (c) => {
      const found = await c.var.store.blobs.upload(currentUser(c).id, c.req.valid('param').id)
      if (!found) throw notFound('No such upload')
      const { offset } = c.req.valid('query')
      if (offset !== found.received) {
        throw conflict(`The upload stands at ${found.received} bytes, not ${offset}`)
      }
      const body = c.req.raw.body
      if (!body) return c.json({ received: found.received }, 200)
      const room = Math.min(c.var.config.maxChunkBytes, found.bytes - offset)
      let written: number
      try {
        written = await c.var.staging.write(found.id, offset, body, room)
      } catch (error) {
        if (error instanceof ChunkTooLargeError) {
          throw new ApiError(413, 'chunk-too-large', error.message)
        }
        throw error
      }
      c.var.metrics.syncBytes.inc({ direction: 'push', what: 'files' }, written)
      if (!(await c.var.store.blobs.advance(found.id, offset, offset + written))) {
        throw conflict('Another request for this upload got there first; GET it and resume')
      }
      return c.json({ received: offset + written }, 200)
    })
    .openapi(complete, async (c) => {
      const me = currentUser(c)
      const id = c.req.valid('param').id
      const { staging, store, blobStore } = c.var
      // One completion per upload at a time: a retry racing the first would find its staged file
      // moved away mid-way. Run after it, the retry sees the upload gone, as a later retry would.
      await withLock(`upload:${id}`, async () => {
        const found = await store.blobs.upload(me.id, id)
        if (!found) throw notFound('No such upload')
        if (found.received !== found.bytes) {
          throw conflict(`${found.bytes - found.received} bytes are missing`)
        }
        await staging.truncateTo(found.id, found.bytes)
        if ((await staging.hash(found.id, found.bytes)) !== found.sha256) {
          await store.blobs.removeUpload(found.id)
          await staging.remove(found.id)
          throw new ApiError(
            422,
            'checksum-mismatch',
            'The bytes received do not match the SHA-256',
          )
        }
        await withLock(found.sha256, async () => {
          await blobStore.put(found.sha256, staging.fileOf(found.id), found.bytes)
          await store.blobs.commit(me.id, found.id, found.sha256, found.bytes)
        })
      })
      return c.json({ status: 'stored' as const }, 201)
    })
    .openapi(cancel, async (c) => {
      const found = await c.var.store.blobs.upload(currentUser(c).id, c.req.valid('param').id)
      if (!found) throw notFound('No such upload')
      await c.var.store.blobs.removeUpload(found.id)
      await c.var.staging.remove(found.id)
      return c.body(null, 204)
    })
    .openapi(download, async (c) => {
      const sha = c.req.valid('param').sha256
      if ((await c.var.store.blobs.owns(currentUser(c).id, sha)) === undefined) {
        throw notFound('No such file')
      }
      const etag = `"${sha}"`
      const headers = {
        ETag: etag,
        'Cache-Control': 'private, max-age=31536000, immutable',
      }
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)
      const file = await c.var.blobStore.get(sha)
      if (!file) throw notFound('The file is missing from storage')
      c.var.metrics.syncBytes.inc({ direction: 'pull', what: 'files' }, file.bytes)
      return c.body(file.body, 200, {
        ...headers,
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(file.bytes),
      })
    })
