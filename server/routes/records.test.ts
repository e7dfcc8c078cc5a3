import { createHash, randomUUID } from 'node:crypto'
import { createTestGateway, type TestClient, type TestGateway } from '../_testing/gateway'
import { maxRecordBytes } from './record-data'
import { recipeData } from '../_testing/records'

const deviceA = 'device-aaaa'
const deviceB = 'device-bbbb'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function upload(client: TestClient, bytes: Uint8Array): Promise<string> {
  const hash = sha256(bytes)
  const start = await client.post('/api/blobs/uploads', { sha256: hash, bytes: bytes.length })
  expect(start.status).toBe(201)
  const { upload } = (await start.json()) as { upload: { id: string } }
  expect((await client.put(`/api/blobs/uploads/${upload.id}?offset=0`, bytes)).status).toBe(200)
  expect((await client.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
  return hash
}

const image = (files: { original?: string; thumbnail?: string }, name = 'photo.jpg') => ({
  hash: files.original ?? 'f'.repeat(64),
  name,
  mime: 'image/jpeg',
  format: 'jpeg',
  bytes: 100,
  width: 640,
  height: 480,
  orientation: 1,
  exif: { Make: 'Camera' },
  tags: ['holiday'],
  addedAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  thumbnailWidth: 64,
  thumbnailHeight: 48,
  files,
})

const recipe = (imageId: string, degrees = 90) => recipeData(imageId, { degrees })

const result = (imageId: string, task = 'object-detection', output: unknown = []) => ({
  imageId,
  task,
  version: '1',
  provider: 'wasm',
  threads: 4,
  durationMs: 12.5,
  decodeMs: 3,
  createdAt: 1_700_000_000_000,
  imageSize: { width: 640, height: 480 },
  source: 'local',
  output,
})

interface Problem {
  type: string
  status: number
  detail: string
  requestId: string
  errors?: { path: string; message: string }[]
}

interface Stored {
  kind: string
  id: string
  seq: number
  deleted: boolean
  data: unknown
  deviceId: string
  updatedAt: number
}

let gateway: TestGateway
let ada: TestClient

beforeEach(async () => {
  gateway = await createTestGateway()
  ada = gateway.client()
  await ada.signUp('ada@example.com')
})
afterEach(() => gateway.close())

const put = (path: string, data: unknown, meta: Record<string, unknown> = {}) =>
  ada.put(path, { deviceId: deviceA, changeId: randomUUID(), data, ...meta })
const remove = (path: string, meta: Record<string, unknown> = {}) =>
  ada.delete(path, { deviceId: deviceA, changeId: randomUUID(), ...meta })

async function read(path: string) {
  const response = await ada.get(path)
  expect(response.status).toBe(200)
  return (await response.json()) as Stored
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const problem = (await response.json()) as Problem
  expect(problem.status).toBe(response.status)
  expect(problem.requestId).toBe(response.headers.get('x-request-id'))
  return problem
}

describe('records', () => {
  it('creates a record and reads it back', async () => {
    const id = randomUUID()
    const created = await put(`/api/records/recipe/${id}`, recipe(id))
    expect(created.status).toBe(200)
    const outcome = (await created.json()) as { status: string; seq: number }
    expect(outcome).toEqual({ status: 'applied', seq: expect.any(Number) as number })
    expect(await read(`/api/records/recipe/${id}`)).toEqual({
      kind: 'recipe',
      id,
      seq: outcome.seq,
      deleted: false,
      data: recipe(id),
      deviceId: deviceA,
      updatedAt: expect.any(Number) as number,
    })
  })

  it('creates an image whose files are uploaded, and a result for it', async () => {
    const original = await upload(ada, new TextEncoder().encode('original bytes'))
    const thumbnail = await upload(ada, new TextEncoder().encode('thumbnail bytes'))
    const id = randomUUID()
    expect((await put(`/api/records/image/${id}`, image({ original, thumbnail }))).status).toBe(200)
    expect((await read(`/api/records/image/${id}`)).data).toEqual(image({ original, thumbnail }))
    const resultId = `${id}:object-detection`
    const output = [{ label: 'cat', score: 0.9, box: [1, 2, 3, 4] }]
    expect(
      (await put(`/api/records/result/${resultId}`, result(id, undefined, output))).status,
    ).toBe(200)
    expect((await read(`/api/records/result/${resultId}`)).data).toEqual(
      result(id, undefined, output),
    )
  })

  it('replaces a record with a new seq, and answers a retried PUT unchanged', async () => {
    const id = randomUUID()
    const path = `/api/records/recipe/${id}`
    const first = (await (await put(path, recipe(id, 90))).json()) as { seq: number }
    const changeId = randomUUID()
    const replaced = await put(path, recipe(id, 180), { changeId, baseSeq: first.seq })
    expect(replaced.status).toBe(200)
    const second = (await replaced.json()) as { status: string; seq: number }
    expect(second.status).toBe('applied')
    expect(second.seq).toBeGreaterThan(first.seq)
    expect(await read(path)).toMatchObject({ seq: second.seq, data: recipe(id, 180) })

    const retried = await put(path, recipe(id, 180), { changeId, baseSeq: first.seq })
    expect(await retried.json()).toEqual({ status: 'unchanged', seq: second.seq })
    expect((await read(path)).seq).toBe(second.seq)
  })

  it('reports an overwrite when another device replaces a version it has not seen', async () => {
    const id = randomUUID()
    const path = `/api/records/recipe/${id}`
    const first = (await (await put(path, recipe(id, 90))).json()) as { seq: number }
    await put(path, recipe(id, 180), { baseSeq: first.seq })
    const before = await read(path)
    const response = await put(path, recipe(id, 270), { deviceId: deviceB, baseSeq: first.seq })
    expect(await response.json()).toMatchObject({
      status: 'applied',
      overwrote: { deviceId: deviceA, updatedAt: before.updatedAt },
    })
    expect(await read(path)).toMatchObject({ deviceId: deviceB, data: recipe(id, 270) })
  })

  it('deletes a record, leaving a tombstone that reads as deleted with data null', async () => {
    const id = randomUUID()
    const path = `/api/records/recipe/${id}`
    const created = (await (await put(path, recipe(id))).json()) as { seq: number }
    const deleted = await remove(path, { baseSeq: created.seq })
    expect(deleted.status).toBe(200)
    const outcome = (await deleted.json()) as { status: string; seq: number }
    expect(outcome.status).toBe('applied')
    expect(outcome.seq).toBeGreaterThan(created.seq)
    expect(await read(path)).toMatchObject({
      id,
      seq: outcome.seq,
      deleted: true,
      data: null,
      deviceId: deviceA,
    })
    const pulled = (await (await ada.get('/api/sync/pull')).json()) as { changes: Stored[] }
    expect(pulled.changes).toEqual([expect.objectContaining({ id, deleted: true, data: null })])
    const account = (await (await ada.get('/api/account')).json()) as {
      usage: { records: number }
    }
    expect(account.usage.records).toBe(0)
  })

  it('answers 404 for a record the user does not have', async () => {
    const id = randomUUID()
    await put(`/api/records/recipe/${id}`, recipe(id))
    for (const path of [`/api/records/recipe/${randomUUID()}`, `/api/records/image/${id}`]) {
      const response = await ada.get(path)
      expect(response.status).toBe(404)
      expect((await problemOf(response)).type).toBe('/api/problems/not-found')
      const deleted = await remove(path)
      expect(deleted.status).toBe(404)
      expect((await problemOf(deleted)).type).toBe('/api/problems/not-found')
    }
    // A refused deletion leaves no tombstone behind.
    const pulled = (await (await ada.get('/api/sync/pull')).json()) as { changes: Stored[] }
    expect(pulled.changes.map((record) => record.id)).toEqual([id])
  })

  it('answers 409 missing-blob for an image whose files are not uploaded, storing nothing', async () => {
    const original = await upload(ada, new TextEncoder().encode('original bytes'))
    const missing = sha256(new TextEncoder().encode('never uploaded'))
    const id = randomUUID()
    const response = await put(`/api/records/image/${id}`, image({ original, thumbnail: missing }))
    expect(response.status).toBe(409)
    const problem = await problemOf(response)
    expect(problem.type).toBe('/api/problems/missing-blob')
    expect(problem.detail).toContain(missing)
    expect(problem.detail).not.toContain(original)
    expect((await ada.get(`/api/records/image/${id}`)).status).toBe(404)
  })

  it('answers 400 for an unknown kind or a malformed id', async () => {
    const id = randomUUID()
    for (const response of [
      await ada.get(`/api/records/album/${id}`),
      await put(`/api/records/album/${id}`, recipe(id)),
      await remove(`/api/records/album/${id}`),
    ]) {
      expect(response.status).toBe(400)
      const problem = await problemOf(response)
      expect(problem.type).toBe('/api/problems/validation')
      expect(problem.errors?.map((error) => error.path)).toEqual(['kind'])
    }
    const tooLong = await ada.get(`/api/records/recipe/${'a'.repeat(129)}`)
    expect(tooLong.status).toBe(400)
    expect((await problemOf(tooLong)).errors?.map((error) => error.path)).toEqual(['id'])

    for (const [path, data] of [
      [`/api/records/recipe/not-a-uuid`, recipe(id)],
      [`/api/records/image/not-a-uuid`, image({})],
      [`/api/records/result/${id}`, result(id)],
      [`/api/records/result/${randomUUID()}:object-detection`, result(id)],
      [`/api/records/result/${id}:face-detection`, result(id)],
    ] as const) {
      const response = await put(path, data)
      expect(response.status, path).toBe(400)
      expect((await problemOf(response)).errors).toEqual([
        { path: 'id', message: expect.any(String) as string },
      ])
    }
    const pulled = (await (await ada.get('/api/sync/pull')).json()) as { changes: Stored[] }
    expect(pulled.changes).toEqual([])
  })

  it('answers 400 naming the fields of invalid data or write details', async () => {
    const id = randomUUID()
    const { width: _width, ...noWidth } = image({}, '')
    const bad = await put(`/api/records/image/${id}`, noWidth)
    expect(bad.status).toBe(400)
    expect((await problemOf(bad)).errors?.map((error) => error.path).sort()).toEqual([
      'data.name',
      'data.width',
    ])
    const meta = await ada.put(`/api/records/recipe/${id}`, {
      deviceId: 'x',
      changeId: 'not-a-uuid',
      data: recipe(id),
    })
    expect(meta.status).toBe(400)
    expect((await problemOf(meta)).errors?.map((error) => error.path).sort()).toEqual([
      'changeId',
      'deviceId',
    ])
    await put(`/api/records/recipe/${id}`, recipe(id))
    const noBody = await ada.delete(`/api/records/recipe/${id}`, {})
    expect(noBody.status).toBe(400)
    expect((await read(`/api/records/recipe/${id}`)).deleted).toBe(false)
  })

  it('answers 413 for a record larger than 4 MiB', async () => {
    const imageId = randomUUID()
    const path = `/api/records/result/${imageId}:object-detection`
    const overhead = JSON.stringify(result(imageId, 'object-detection', '')).length
    const over = result(imageId, 'object-detection', 'x'.repeat(maxRecordBytes - overhead + 1))
    const response = await put(path, over)
    expect(response.status).toBe(413)
    expect((await problemOf(response)).type).toBe('/api/problems/record-too-large')
    expect((await ada.get(path)).status).toBe(404)
    const atLimit = result(imageId, 'object-detection', 'x'.repeat(maxRecordBytes - overhead))
    expect((await put(path, atLimit)).status).toBe(200)
  })
})
