import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import type http from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3'
import { createTestGateway, type TestClient, type TestGateway } from '../_testing/gateway'

/** The part of s3rver's API these tests use (the package ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>
  close(): Promise<void>
  httpServer?: http.Server
}
type S3rverClass = new (options: {
  port: number
  address: string
  directory: string
  silent: boolean
}) => S3rverServer
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass

const dog = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../../fixtures/dog.jpg', import.meta.url))),
)
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const bucket = 'sightline-test'

interface Readiness {
  status: string
  checks: Record<'database' | 'migrations' | 'blobStore', { ok: boolean; detail?: string }>
}

async function uploadFile(client: TestClient, bytes: Uint8Array) {
  const start = await client.post('/api/blobs/uploads', {
    sha256: sha(bytes),
    bytes: bytes.byteLength,
  })
  expect(start.status).toBe(201)
  const { upload } = (await start.json()) as { upload: { id: string } }
  for (let offset = 0; offset < bytes.byteLength; offset += 70_000) {
    const part = bytes.subarray(offset, offset + 70_000)
    const response = await client.put(`/api/blobs/uploads/${upload.id}?offset=${offset}`, part)
    expect(response.status).toBe(200)
  }
  const done = await client.post(`/api/blobs/uploads/${upload.id}/complete`)
  expect(done.status).toBe(201)
}

describe('createS3Store', () => {
  let s3dir: string
  let s3rver: S3rverServer | undefined
  let endpoint: string
  let s3: S3Client
  let gateway: TestGateway

  const gatewayOn = (env: Record<string, string> = {}) =>
    createTestGateway({
      SIGHTLINE_BLOB_STORE: 's3',
      SIGHTLINE_S3_ENDPOINT: endpoint,
      SIGHTLINE_S3_BUCKET: bucket,
      SIGHTLINE_S3_ACCESS_KEY_ID: 'S3RVER',
      SIGHTLINE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      ...env,
    })

  async function stopS3rver() {
    const running = s3rver
    s3rver = undefined
    if (!running) return
    const closed = running.close()
    // The SDK keeps connections alive; close() would wait for them to time out.
    running.httpServer?.closeAllConnections()
    await closed
  }

  beforeEach(async () => {
    s3dir = mkdtempSync(path.join(tmpdir(), 'sightline-s3rver-'))
    s3rver = new S3rver({ port: 0, address: '127.0.0.1', directory: s3dir, silent: true })
    const { port } = await s3rver.run()
    endpoint = `http://127.0.0.1:${port}`
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    })
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    gateway = await gatewayOn()
  })
  afterEach(async () => {
    gateway.close()
    s3.destroy()
    await stopS3rver()
    rmSync(s3dir, { recursive: true, force: true })
  })

  async function objectBytes(key: string) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    return new Uint8Array((await object.Body?.transformToByteArray()) ?? [])
  }

  async function keys() {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }))
    return (listed.Contents ?? []).map((item) => item.Key)
  }

  it('stores an uploaded file in the bucket under its SHA-256 and serves the same bytes', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    await uploadFile(ada, dog)

    expect(await keys()).toEqual([sha(dog)])
    expect(await objectBytes(sha(dog))).toEqual(dog)
    // The staged copy was handed over and removed.
    expect(readdirSync(path.join(gateway.dir, 'uploads'))).toEqual([])

    const response = await ada.get(`/api/blobs/${sha(dog)}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe(String(dog.byteLength))
    expect(response.headers.get('etag')).toBe(`"${sha(dog)}"`)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(sha(bytes)).toBe(sha(dog))
  })

  it('puts objects under the configured prefix', async () => {
    const prefixed = await gatewayOn({ SIGHTLINE_S3_PREFIX: 'photos/' })
    try {
      const ada = prefixed.client()
      await ada.signUp('ada@example.com')
      await uploadFile(ada, dog)
      expect(await keys()).toEqual([`photos/${sha(dog)}`])
      const response = await ada.get(`/api/blobs/${sha(dog)}`)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(dog)
    } finally {
      prefixed.close()
    }
  })

  it('answers 404 for a file whose object has gone from the bucket', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    await uploadFile(ada, dog)
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: sha(dog) }))
    const response = await ada.get(`/api/blobs/${sha(dog)}`)
    expect(response.status).toBe(404)
  })

  it('deletes the object when the last user keeping it deletes their account', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    await uploadFile(ada, dog)
    const deleted = await ada.delete('/api/account', { password: 'correct horse battery' })
    expect(deleted.status).toBe(204)
    await vi.waitFor(async () => expect(await keys()).toEqual([]), { timeout: 5000 })
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: sha(dog) })),
    ).rejects.toMatchObject({ name: 'NotFound' })
  })

  it('keeps the staged bytes when the bucket fails during complete, so a retry stores them', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const start = await ada.post('/api/blobs/uploads', { sha256: sha(dog), bytes: dog.byteLength })
    const { upload } = (await start.json()) as { upload: { id: string } }
    expect((await ada.put(`/api/blobs/uploads/${upload.id}?offset=0`, dog)).status).toBe(200)

    const { port } = new URL(endpoint)
    await stopS3rver()
    const failed = await ada.post(`/api/blobs/uploads/${upload.id}/complete`)
    expect(failed.status).toBe(500)
    expect(readdirSync(path.join(gateway.dir, 'uploads'))).toEqual([`${upload.id}.part`])

    // The same bucket comes back on the same address.
    s3rver = new S3rver({
      port: Number(port),
      address: '127.0.0.1',
      directory: s3dir,
      silent: true,
    })
    await s3rver.run()
    const retried = await ada.post(`/api/blobs/uploads/${upload.id}/complete`)
    expect(retried.status).toBe(201)
    expect(await objectBytes(sha(dog))).toEqual(dog)
    const response = await ada.get(`/api/blobs/${sha(dog)}`)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(dog)
  })

  it('reports the bucket as ready, and not ready once it stops answering', async () => {
    const ready = await gateway.client().get('/api/ready')
    expect(ready.status).toBe(200)
    const body = (await ready.json()) as Readiness
    expect(body.status).toBe('ready')
    expect(body.checks.blobStore).toEqual({ ok: true })

    await stopS3rver()
    const down = await gateway.client().get('/api/ready')
    expect(down.status).toBe(503)
    const downBody = (await down.json()) as Readiness
    expect(downBody.status).toBe('unavailable')
    expect(downBody.checks.blobStore.ok).toBe(false)
    expect(downBody.checks.database).toEqual({ ok: true })
    expect(downBody.checks.migrations).toEqual({ ok: true })
  })

  it('is not ready when the bucket does not exist', async () => {
    const missing = await gatewayOn({ SIGHTLINE_S3_BUCKET: 'no-such-bucket' })
    try {
      const response = await missing.client().get('/api/ready')
      expect(response.status).toBe(503)
      expect(((await response.json()) as Readiness).checks.blobStore.ok).toBe(false)
    } finally {
      missing.close()
    }
  })
})
