import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createTestGateway, TestClient, type TestGateway } from '../_testing/gateway'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url))))
const dog = fixture('dog.jpg')
const astronaut = fixture('astronaut.jpg')
const camera = fixture('camera.png')

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const mebibyte = 1024 * 1024

interface UploadState {
  id: string
  sha256: string
  bytes: number
  received: number
  chunkBytes: number
}

interface Problem {
  type: string
  status: number
  detail: string
}

const storedFile = (gateway: TestGateway, hash: string) =>
  path.join(gateway.dir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash)
const partFile = (gateway: TestGateway, id: string) =>
  path.join(gateway.dir, 'uploads', `${id}.part`)

async function start(client: TestClient, bytes: Uint8Array | { sha256: string; bytes: number }) {
  const body = bytes instanceof Uint8Array ? { sha256: sha(bytes), bytes: bytes.byteLength } : bytes
  return client.post('/api/blobs/uploads', body)
}

async function started(client: TestClient, bytes: Uint8Array | { sha256: string; bytes: number }) {
  const response = await start(client, bytes)
  expect(response.status).toBe(201)
  const body = (await response.json()) as { status: string; upload: UploadState }
  expect(body.status).toBe('started')
  return body.upload
}

const chunk = (client: TestClient, id: string, offset: number, bytes: Uint8Array) =>
  client.put(`/api/blobs/uploads/${id}?offset=${offset}`, bytes)

async function state(client: TestClient, id: string): Promise<UploadState> {
  const response = await client.get(`/api/blobs/uploads/${id}`)
  expect(response.status).toBe(200)
  return (await response.json()) as UploadState
}

/** Sends `bytes[from…]` in chunks of `size`, checking each answer. */
async function sendFrom(
  client: TestClient,
  id: string,
  bytes: Uint8Array,
  from: number,
  size: number,
) {
  for (let offset = from; offset < bytes.byteLength; offset += size) {
    const part = bytes.subarray(offset, Math.min(offset + size, bytes.byteLength))
    const response = await chunk(client, id, offset, part)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: offset + part.byteLength })
  }
}

/** Uploads a whole file through the API. */
async function uploadFile(client: TestClient, bytes: Uint8Array, size = 50_000) {
  const upload = await started(client, bytes)
  await sendFrom(client, upload.id, bytes, 0, size)
  const done = await client.post(`/api/blobs/uploads/${upload.id}/complete`)
  expect(done.status).toBe(201)
  return upload
}

async function download(client: TestClient, hash: string) {
  const response = await client.get(`/api/blobs/${hash}`)
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  return (await response.json()) as Problem
}

describe('blobs', () => {
  let gateway: TestGateway
  beforeEach(async () => {
    gateway = await createTestGateway()
  })
  afterEach(() => gateway.close())

  it('uploads a photo in chunks, reports where it stands and streams the same bytes back', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    expect(upload.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(upload).toMatchObject({ sha256: sha(dog), bytes: dog.byteLength, received: 0 })
    expect(upload.chunkBytes).toBe(gateway.config.maxChunkBytes)

    const size = 60_000
    for (let offset = 0; offset < dog.byteLength; offset += size) {
      const part = dog.subarray(offset, offset + size)
      const response = await chunk(ada, upload.id, offset, part)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ received: offset + part.byteLength })
      expect((await state(ada, upload.id)).received).toBe(offset + part.byteLength)
    }
    const done = await ada.post(`/api/blobs/uploads/${upload.id}/complete`)
    expect(done.status).toBe(201)
    expect(await done.json()).toEqual({ status: 'stored' })

    // The upload is over: its state and its partial file are gone, the file is in the store.
    expect((await ada.get(`/api/blobs/uploads/${upload.id}`)).status).toBe(404)
    expect(existsSync(partFile(gateway, upload.id))).toBe(false)
    expect(sha(new Uint8Array(readFileSync(storedFile(gateway, sha(dog)))))).toBe(sha(dog))

    const { response, bytes } = await download(ada, sha(dog))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(response.headers.get('content-length')).toBe(String(dog.byteLength))
    expect(response.headers.get('etag')).toBe(`"${sha(dog)}"`)
    expect(bytes).toEqual(dog)

    const again = await ada.request('GET', `/api/blobs/${sha(dog)}`, undefined, {
      'if-none-match': `"${sha(dog)}"`,
    })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    const other = await ada.request('GET', `/api/blobs/${sha(dog)}`, undefined, {
      'if-none-match': `"${'0'.repeat(64)}"`,
    })
    expect(other.status).toBe(200)
    expect(new Uint8Array(await other.arrayBuffer())).toEqual(dog)
  })

  it('stores and serves an empty file', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const empty = new Uint8Array(0)
    const upload = await started(ada, empty)
    expect((await ada.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
    const { response, bytes } = await download(ada, sha(empty))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe('0')
    expect(bytes.byteLength).toBe(0)
  })

  it('answers stored for a file the user already has, without a new upload', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    await uploadFile(ada, dog)
    const again = await start(ada, dog)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ status: 'stored' })
    const { rows } = await gateway.db.execute('SELECT count(*) AS n FROM uploads')
    expect(Number(rows[0]?.n)).toBe(0)
  })

  it('asks another user for the bytes even when the same file is stored', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    await uploadFile(ada, dog)
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    expect((await download(bob, sha(dog))).response.status).toBe(404)
    const upload = await started(bob, dog)
    expect(upload.received).toBe(0)
    await sendFrom(bob, upload.id, dog, 0, 100_000)
    expect((await bob.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
    expect((await download(bob, sha(dog))).bytes).toEqual(dog)
  })

  it('keeps uploads private to their user', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    expect((await bob.get(`/api/blobs/uploads/${upload.id}`)).status).toBe(404)
    expect((await chunk(bob, upload.id, 0, dog.subarray(0, 10))).status).toBe(404)
    expect((await bob.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(404)
    expect((await bob.delete(`/api/blobs/uploads/${upload.id}`)).status).toBe(404)
    expect((await state(ada, upload.id)).received).toBe(0)
    const anonymous = gateway.client()
    expect(
      (await anonymous.post('/api/blobs/uploads', { sha256: sha(dog), bytes: 1 })).status,
    ).toBe(401)
  })

  it('refuses a chunk at the wrong offset with 409 and keeps what it has', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    expect((await chunk(ada, upload.id, 0, dog.subarray(0, 1000))).status).toBe(200)
    for (const offset of [0, 999, 1001, 5000]) {
      const response = await chunk(ada, upload.id, offset, dog.subarray(offset, offset + 1000))
      expect(response.status).toBe(409)
      expect((await problemOf(response)).type).toBe('/api/problems/conflict')
    }
    expect((await state(ada, upload.id)).received).toBe(1000)
    // Complete with bytes missing is refused too.
    const early = await ada.post(`/api/blobs/uploads/${upload.id}/complete`)
    expect(early.status).toBe(409)
    await sendFrom(ada, upload.id, dog, 1000, 80_000)
    expect((await ada.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
    expect((await download(ada, sha(dog))).bytes).toEqual(dog)
  })

  it('counts a chunk sent twice at once (a retry racing the original) only once', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    const first = dog.subarray(0, 90_000)
    const answers = await Promise.all([
      chunk(ada, upload.id, 0, first),
      chunk(ada, upload.id, 0, first),
    ])
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409])
    expect((await state(ada, upload.id)).received).toBe(90_000)
    await sendFrom(ada, upload.id, dog, 90_000, 90_000)
    expect((await ada.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
    expect((await download(ada, sha(dog))).bytes).toEqual(dog)
  })

  it('answers a complete retried while the first still runs without a server error', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    await sendFrom(ada, upload.id, dog, 0, 100_000)
    const answers = await Promise.all([
      ada.post(`/api/blobs/uploads/${upload.id}/complete`),
      ada.post(`/api/blobs/uploads/${upload.id}/complete`),
    ])
    // The same as a retry after the first finished: the upload is over (404).
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 404])
    expect((await download(ada, sha(dog))).bytes).toEqual(dog)
    expect(readdirSync(path.join(gateway.dir, 'uploads'))).toEqual([])
  })

  it('refuses a chunk longer than what is left with 413 and counts none of it', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    const whole = new Uint8Array(dog.byteLength + 1)
    whole.set(dog)
    const tooLong = await chunk(ada, upload.id, 0, whole)
    expect(tooLong.status).toBe(413)
    expect((await problemOf(tooLong)).type).toBe('/api/problems/chunk-too-large')
    expect((await state(ada, upload.id)).received).toBe(0)

    expect((await chunk(ada, upload.id, 0, dog.subarray(0, 100_000))).status).toBe(200)
    const garbage = new Uint8Array(dog.byteLength - 100_000 + 10).fill(0xee)
    const overrun = await chunk(ada, upload.id, 100_000, garbage)
    expect(overrun.status).toBe(413)
    expect((await state(ada, upload.id)).received).toBe(100_000)

    await sendFrom(ada, upload.id, dog, 100_000, 100_000)
    expect((await ada.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
    expect((await download(ada, sha(dog))).bytes).toEqual(dog)
  })

  it('refuses a chunk above the chunk limit before reading it', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const big = { sha256: 'a'.repeat(64), bytes: 9 * mebibyte }
    const upload = await started(ada, big)
    const response = await chunk(ada, upload.id, 0, new Uint8Array(8 * mebibyte + 1))
    expect(response.status).toBe(413)
    expect((await problemOf(response)).type).toBe('/api/problems/body-too-large')
    expect((await state(ada, upload.id)).received).toBe(0)
    expect(existsSync(partFile(gateway, upload.id))).toBe(false)
    // Exactly the chunk limit is fine.
    expect((await chunk(ada, upload.id, 0, new Uint8Array(8 * mebibyte))).status).toBe(200)
    expect((await state(ada, upload.id)).received).toBe(8 * mebibyte)
  })

  it('discards the upload when the bytes do not match the SHA-256 (422)', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    const wrong = dog.slice()
    // One flipped bit in the last byte.
    wrong.set([(dog.at(-1) ?? 0) ^ 0x01], wrong.byteLength - 1)
    await sendFrom(ada, upload.id, wrong, 0, 100_000)
    const done = await ada.post(`/api/blobs/uploads/${upload.id}/complete`)
    expect(done.status).toBe(422)
    expect((await problemOf(done)).type).toBe('/api/problems/checksum-mismatch')
    expect((await ada.get(`/api/blobs/uploads/${upload.id}`)).status).toBe(404)
    expect(existsSync(partFile(gateway, upload.id))).toBe(false)
    expect(existsSync(storedFile(gateway, sha(dog)))).toBe(false)
    expect((await download(ada, sha(dog))).response.status).toBe(404)
    const { rows } = await gateway.db.execute('SELECT count(*) AS n FROM user_blobs')
    expect(Number(rows[0]?.n)).toBe(0)
  })

  it('refuses a file larger than the largest accepted before any bytes are sent (413)', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const max = gateway.config.maxBlobBytes
    const response = await start(ada, { sha256: 'b'.repeat(64), bytes: max + 1 })
    expect(response.status).toBe(413)
    expect((await problemOf(response)).type).toBe('/api/problems/file-too-large')
    const { rows } = await gateway.db.execute('SELECT count(*) AS n FROM uploads')
    expect(Number(rows[0]?.n)).toBe(0)
    expect((await start(ada, { sha256: 'b'.repeat(64), bytes: max })).status).toBe(201)
  })

  it('cancels an upload, removing its partial file', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    expect((await chunk(ada, upload.id, 0, dog.subarray(0, 5000))).status).toBe(200)
    expect(statSync(partFile(gateway, upload.id)).size).toBe(5000)
    expect((await ada.delete(`/api/blobs/uploads/${upload.id}`)).status).toBe(204)
    expect((await ada.get(`/api/blobs/uploads/${upload.id}`)).status).toBe(404)
    expect(existsSync(partFile(gateway, upload.id))).toBe(false)
  })

  it('refuses a file over the quota, counting unfinished uploads (413)', async () => {
    const small = await createTestGateway({ SIGHTLINE_QUOTA_BYTES: '200000' })
    try {
      const ada = small.client()
      await ada.signUp('ada@example.com')
      const pending = await started(ada, dog)
      const extra = { sha256: 'c'.repeat(64), bytes: 50_000 }
      const refused = await start(ada, extra)
      expect(refused.status).toBe(413)
      expect((await problemOf(refused)).type).toBe('/api/problems/quota-exceeded')
      // Exactly what is left fits.
      const rest = { sha256: 'd'.repeat(64), bytes: 200_000 - dog.byteLength }
      const fits = await started(ada, rest)
      expect((await ada.delete(`/api/blobs/uploads/${fits.id}`)).status).toBe(204)

      await sendFrom(ada, pending.id, dog, 0, 100_000)
      expect((await ada.post(`/api/blobs/uploads/${pending.id}/complete`)).status).toBe(201)
      // The stored file counts once, not once as a file and once as an upload.
      expect((await start(ada, rest)).status).toBe(201)
      expect((await start(ada, extra)).status).toBe(413)
      // Another user has a quota of their own.
      const bob = small.client()
      await bob.signUp('bob@example.com')
      expect((await start(bob, extra)).status).toBe(201)
    } finally {
      small.close()
    }
  })

  it('removes the files of a deleted account once no other user keeps them', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    await uploadFile(ada, dog)
    await uploadFile(ada, astronaut)
    await uploadFile(bob, dog)
    const pending = await started(ada, camera)
    expect((await chunk(ada, pending.id, 0, camera.subarray(0, 20_000))).status).toBe(200)
    expect(existsSync(storedFile(gateway, sha(astronaut)))).toBe(true)

    const wrong = await ada.delete('/api/account', { password: 'not the password' })
    expect(wrong.status).toBe(403)
    const deleted = await ada.delete('/api/account', { password: 'correct horse battery' })
    expect(deleted.status).toBe(204)
    await vi.waitFor(() => expect(existsSync(storedFile(gateway, sha(astronaut)))).toBe(false), {
      timeout: 5000,
    })
    expect(existsSync(partFile(gateway, pending.id))).toBe(false)
    expect(existsSync(storedFile(gateway, sha(dog)))).toBe(true)
    expect((await download(bob, sha(dog))).bytes).toEqual(dog)
    const blobs = await gateway.db.execute('SELECT sha256 FROM blobs')
    expect(blobs.rows.map((row) => row.sha256)).toEqual([sha(dog)])

    expect((await bob.delete('/api/account', { password: 'correct horse battery' })).status).toBe(
      204,
    )
    await vi.waitFor(() => expect(existsSync(storedFile(gateway, sha(dog)))).toBe(false), {
      timeout: 5000,
    })
    const left = await gateway.db.execute('SELECT count(*) AS n FROM blobs')
    expect(Number(left.rows[0]?.n)).toBe(0)
  })

  it('sweeps stale uploads and files nobody keeps, and keeps the rest', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    await uploadFile(ada, dog)
    await uploadFile(ada, astronaut)
    const imageId = randomUUID()
    const record = await ada.put(`/api/records/image/${imageId}`, {
      deviceId: 'laptop-0001',
      changeId: randomUUID(),
      data: {
        hash: sha(dog),
        name: 'dog.jpg',
        mime: 'image/jpeg',
        format: 'jpeg',
        bytes: dog.byteLength,
        width: 640,
        height: 480,
        orientation: 1,
        exif: {},
        tags: [],
        addedAt: 1,
        updatedAt: 1,
        thumbnailWidth: 64,
        thumbnailHeight: 48,
        files: { original: sha(dog) },
      },
    })
    expect(record.status).toBe(200)

    const stale = await started(ada, camera)
    expect((await chunk(ada, stale.id, 0, camera.subarray(0, 10_000))).status).toBe(200)
    const fresh = await started(ada, { sha256: 'e'.repeat(64), bytes: 100 })
    expect((await chunk(ada, fresh.id, 0, new Uint8Array(50))).status).toBe(200)

    // Nothing is old enough yet.
    expect(await gateway.app.housekeeping.sweep()).toEqual({
      sessions: 0,
      uploads: 0,
      released: 0,
      files: 0,
    })

    const twoDaysAgo = Date.now() - 2 * 24 * 60 * 60 * 1000
    await gateway.db.execute('UPDATE uploads SET updated_at = ? WHERE id = ?', [
      twoDaysAgo,
      stale.id,
    ])
    await gateway.db.execute('UPDATE user_blobs SET created_at = ?', [twoDaysAgo])

    expect(await gateway.app.housekeeping.sweep()).toEqual({
      sessions: 0,
      uploads: 1,
      released: 1,
      files: 1,
    })
    expect((await ada.get(`/api/blobs/uploads/${stale.id}`)).status).toBe(404)
    expect(existsSync(partFile(gateway, stale.id))).toBe(false)
    expect((await state(ada, fresh.id)).received).toBe(50)
    expect(existsSync(partFile(gateway, fresh.id))).toBe(true)
    // The astronaut was never pointed at by a record: released and deleted.
    expect(existsSync(storedFile(gateway, sha(astronaut)))).toBe(false)
    expect((await download(ada, sha(astronaut))).response.status).toBe(404)
    // The dog is the original of a live image record: kept.
    expect((await download(ada, sha(dog))).bytes).toEqual(dog)
  })
})

/** The gateway on a real socket, to see what a dropped connection does. */
describe('blobs over a real connection', () => {
  let gateway: TestGateway
  let server: http.Server
  let port: number
  let inFlight = 0
  const sockets = new Set<Socket>()

  beforeEach(async () => {
    gateway = await createTestGateway()
    const app = gateway.app
    server = await new Promise<http.Server>((resolve) => {
      const s = serve(
        {
          fetch: async (request: Request, env: unknown) => {
            inFlight++
            try {
              return await app.fetch(request, env as never)
            } finally {
              inFlight--
            }
          },
          port: 0,
          hostname: '127.0.0.1',
        },
        () => resolve(s as http.Server),
      )
    })
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    port = (server.address() as AddressInfo).port
  })
  afterEach(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    gateway.close()
  })

  const origin = () => `http://127.0.0.1:${port}`
  const browser = () => new TestClient(fetch, origin())

  /**
   * Starts a chunk on a raw socket, sends `sent` of its bytes, waits until the server has read
   * them, then drops the connection.
   */
  async function dropMidChunk(
    client: TestClient,
    id: string,
    offset: number,
    body: Uint8Array,
    sent: number,
    framing: 'content-length' | 'chunked',
  ) {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: `/api/blobs/uploads/${id}?offset=${offset}`,
      headers: {
        cookie: client.cookie,
        origin: origin(),
        'content-type': 'application/octet-stream',
        ...(framing === 'content-length'
          ? { 'content-length': String(body.byteLength) }
          : { 'transfer-encoding': 'chunked' }),
      },
    })
    const own = new Promise<Socket>((resolve) => request.on('socket', resolve))
    const closed = new Promise<void>((resolve) => request.on('close', resolve))
    request.on('error', () => {
      // The socket hangs up: that is the point.
    })
    let answered: number | undefined
    request.on('response', (response) => {
      answered = response.statusCode
    })
    request.write(body.subarray(0, sent))
    const socket = await own
    // Everything written so far (headers and `sent` bytes of body) has reached the server.
    await vi.waitFor(
      () => {
        expect(socket.bytesWritten).toBeGreaterThan(sent)
        const peer = [...sockets].find((other) => other.remotePort === socket.localPort)
        expect(peer?.bytesRead).toBe(socket.bytesWritten)
      },
      { timeout: 5000, interval: 5 },
    )
    request.destroy()
    await closed
    // Let the server finish with the broken request before looking.
    await vi.waitFor(() => expect(inFlight).toBe(0), { timeout: 5000, interval: 5 })
    // The server cannot have answered a chunk it never fully received.
    expect(answered).toBeUndefined()
  }

  for (const framing of ['content-length', 'chunked'] as const) {
    it(`counts none of a chunk whose connection drops halfway (${framing}) and resumes`, async () => {
      const ada = browser()
      await ada.signUp('ada@example.com')
      const upload = await started(ada, dog)
      const first = 40_000
      expect((await chunk(ada, upload.id, 0, dog.subarray(0, first))).status).toBe(200)

      const second = dog.subarray(first, first + 100_000)
      await dropMidChunk(ada, upload.id, first, second, 50_000, framing)
      if (framing === 'content-length') {
        // The server did write part of the broken chunk; it must not count it.
        expect(statSync(partFile(gateway, upload.id)).size).toBeGreaterThan(first)
      }
      const after = await state(ada, upload.id)
      expect(after.received).toBe(first)

      await sendFrom(ada, upload.id, dog, after.received, 70_000)
      expect((await ada.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
      const { response, bytes } = await download(ada, sha(dog))
      expect(response.headers.get('content-length')).toBe(String(dog.byteLength))
      expect(bytes.byteLength).toBe(dog.byteLength)
      expect(sha(bytes)).toBe(sha(dog))
    })
  }

  it('counts none of an over-long chunk that arrives in pieces, and resumes cleanly', async () => {
    const ada = browser()
    await ada.signUp('ada@example.com')
    const upload = await started(ada, dog)
    expect((await chunk(ada, upload.id, 0, dog.subarray(0, 30_000))).status).toBe(200)
    // Garbage, longer than what is left, streamed so the server sees it in several reads.
    const garbage = new Uint8Array(dog.byteLength).fill(0x5a)
    const pieces = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < garbage.byteLength; at += 16_384) {
          controller.enqueue(garbage.slice(at, at + 16_384))
        }
        controller.close()
      },
    })
    const response = await fetch(`${origin()}/api/blobs/uploads/${upload.id}?offset=30000`, {
      method: 'PUT',
      headers: {
        cookie: ada.cookie,
        origin: origin(),
        'content-type': 'application/octet-stream',
        'content-length': String(garbage.byteLength),
      },
      body: pieces,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect((await state(ada, upload.id)).received).toBe(30_000)

    await sendFrom(ada, upload.id, dog, 30_000, 50_000)
    expect((await ada.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
    expect(sha((await download(ada, sha(dog))).bytes)).toBe(sha(dog))
  })
})
