import { createHash, randomUUID } from 'node:crypto'
import { createTestGateway, type TestClient, type TestGateway } from '../_testing/gateway'
import { maxRecordBytes } from './record-data'
import { recipeData } from '../_testing/records'

interface Outcome {
  kind: string
  id: string
  status: 'applied' | 'unchanged' | 'rejected'
  seq?: number
  overwrote?: { deviceId: string; updatedAt: number }
  reason?: string
  detail?: string
}

interface Pulled {
  kind: string
  id: string
  seq: number
  deleted: boolean
  data: unknown
  deviceId: string
  updatedAt: number
}

interface Change {
  kind: 'image' | 'result' | 'recipe'
  id: string
  changeId?: string
  baseSeq?: number | null
  deleted?: boolean
  data?: unknown
}

const deviceA = 'device-aaaa'
const deviceB = 'device-bbbb'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const fileBytes = (label: string, size = 100) =>
  new Uint8Array(size).map((_, i) => (label.charCodeAt(i % label.length) + i) % 256)

/** Uploads `bytes` the way the app does (start, one chunk, complete) and returns its SHA-256. */
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
  exif: {},
  tags: [],
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

async function push(client: TestClient, deviceId: string, changes: Change[]) {
  const response = await client.post('/api/sync/push', {
    deviceId,
    changes: changes.map((change) => ({
      changeId: randomUUID(),
      baseSeq: null,
      deleted: false,
      ...change,
    })),
  })
  if (response.status !== 200) {
    throw new Error(`push ${response.status}: ${await response.text()}`)
  }
  return (await response.json()) as { outcomes: Outcome[]; cursor: number }
}

async function pull(client: TestClient, since = 0, limit?: number) {
  const query = `since=${since}${limit === undefined ? '' : `&limit=${limit}`}`
  const response = await client.get(`/api/sync/pull?${query}`)
  expect(response.status).toBe(200)
  return (await response.json()) as { changes: Pulled[]; cursor: number; hasMore: boolean }
}

async function fileUsage(client: TestClient) {
  const response = await client.get('/api/account')
  expect(response.status).toBe(200)
  return ((await response.json()) as { usage: { fileBytes: number } }).usage.fileBytes
}

let gateway: TestGateway
let ada: TestClient

beforeEach(async () => {
  gateway = await createTestGateway()
  ada = gateway.client()
  await ada.signUp('ada@example.com')
})
afterEach(() => gateway.close())

describe('sync push and pull', () => {
  it('pulls pushed records in seq order, paging with limit, hasMore and the cursor', async () => {
    const imageIds = Array.from({ length: 5 }, () => randomUUID())
    const pushed = await push(
      ada,
      deviceA,
      imageIds.map((id, i) => ({ kind: 'recipe', id, data: recipe(id, i) })),
    )
    const seqs = pushed.outcomes.map((outcome) => outcome.seq ?? 0)
    expect(pushed.outcomes.map((outcome) => outcome.status)).toEqual(Array(5).fill('applied'))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(5)
    expect(pushed.cursor).toBe(seqs[4])

    const pages: Pulled[][] = []
    let since = 0
    for (;;) {
      const page = await pull(ada, since, 2)
      pages.push(page.changes)
      expect(page.cursor).toBe(page.changes.at(-1)?.seq)
      since = page.cursor
      if (!page.hasMore) break
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    const all = pages.flat()
    expect(all.map((record) => record.id)).toEqual(imageIds)
    expect(all.map((record) => record.seq)).toEqual(seqs)
    expect(all[3]).toMatchObject({
      kind: 'recipe',
      deleted: false,
      data: recipe(imageIds[3] ?? '', 3),
      deviceId: deviceA,
    })

    // A page that takes exactly what is left has no more after it.
    expect(await pull(ada, 0, 5)).toMatchObject({ cursor: seqs[4], hasMore: false })
    expect(await pull(ada, 0, 4)).toMatchObject({ cursor: seqs[3], hasMore: true })
    // Nothing after the cursor: the same cursor back, and nothing more to come.
    expect(await pull(ada, since)).toEqual({ changes: [], cursor: since, hasMore: false })

    // A changed record moves to the end of the order, and pulls once, as its latest version.
    const [first] = imageIds as [string]
    const changed = await push(ada, deviceA, [
      { kind: 'recipe', id: first, baseSeq: seqs[0], data: recipe(first, 180) },
    ])
    const after = await pull(ada, since)
    expect(after.changes).toHaveLength(1)
    expect(after.changes[0]).toMatchObject({ id: first, data: recipe(first, 180) })
    expect(after.changes[0]?.seq).toBe(changed.outcomes[0]?.seq)
    expect(after.changes[0]?.seq).toBeGreaterThan(since)
    const everything = await pull(ada, 0)
    expect(everything.changes.map((record) => record.id)).toEqual([...imageIds.slice(1), first])
  })

  it('answers a retried push unchanged, with the first seq and no new one', async () => {
    const id = randomUUID()
    const body = {
      deviceId: deviceA,
      changes: [
        {
          kind: 'recipe',
          id,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: recipe(id),
        },
      ],
    }
    const first = (await (await ada.post('/api/sync/push', body)).json()) as {
      outcomes: Outcome[]
      cursor: number
    }
    expect(first.outcomes[0]?.status).toBe('applied')
    const retry = await ada.post('/api/sync/push', body)
    expect(retry.status).toBe(200)
    const again = (await retry.json()) as { outcomes: Outcome[]; cursor: number }
    expect(again.outcomes).toEqual([
      { kind: 'recipe', id, status: 'unchanged', seq: first.outcomes[0]?.seq },
    ])
    expect(again.cursor).toBe(first.cursor)
    expect(await pull(ada, first.cursor)).toEqual({
      changes: [],
      cursor: first.cursor,
      hasMore: false,
    })
    // The same change twice in one batch is applied once too.
    const other = randomUUID()
    const change = {
      kind: 'recipe' as const,
      id: other,
      changeId: randomUUID(),
      data: recipe(other),
    }
    const twice = await push(ada, deviceA, [change, change])
    expect(twice.outcomes.map((outcome) => outcome.status)).toEqual(['applied', 'unchanged'])
    expect((await pull(ada, first.cursor)).changes).toHaveLength(1)
  })

  it('pulls a deletion as a tombstone: deleted, with data null', async () => {
    const id = randomUUID()
    const created = await push(ada, deviceA, [{ kind: 'recipe', id, data: recipe(id) }])
    const deleted = await push(ada, deviceA, [
      { kind: 'recipe', id, deleted: true, baseSeq: created.cursor },
    ])
    expect(deleted.outcomes[0]).toMatchObject({ status: 'applied' })
    expect(deleted.outcomes[0]?.seq).toBeGreaterThan(created.cursor)
    const { changes } = await pull(ada, 0)
    expect(changes).toEqual([
      {
        kind: 'recipe',
        id,
        seq: deleted.outcomes[0]?.seq,
        deleted: true,
        data: null,
        deviceId: deviceA,
        updatedAt: expect.any(Number) as number,
      },
    ])
    const account = (await (await ada.get('/api/account')).json()) as {
      usage: { records: number; recordBytes: number }
    }
    expect(account.usage).toMatchObject({ records: 0, recordBytes: 0 })
  })

  it('rejects an image whose files the user has not uploaded, and applies the rest', async () => {
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    const bobsFile = await upload(bob, fileBytes('bob'))
    const nobodysFile = sha256(fileBytes('nobody'))
    const [imageId, otherId, recipeId] = [randomUUID(), randomUUID(), randomUUID()]
    const { outcomes } = await push(ada, deviceA, [
      { kind: 'image', id: imageId, data: image({ original: nobodysFile }) },
      { kind: 'recipe', id: recipeId, data: recipe(recipeId) },
      // A file another user uploaded is not this user's either.
      { kind: 'image', id: otherId, data: image({ thumbnail: bobsFile }) },
    ])
    expect(outcomes).toEqual([
      {
        kind: 'image',
        id: imageId,
        status: 'rejected',
        reason: 'missing-blob',
        detail: expect.stringContaining(nobodysFile) as string,
      },
      expect.objectContaining({ kind: 'recipe', id: recipeId, status: 'applied' }),
      {
        kind: 'image',
        id: otherId,
        status: 'rejected',
        reason: 'missing-blob',
        detail: expect.stringContaining(bobsFile) as string,
      },
    ])
    const { changes } = await pull(ada, 0)
    expect(changes.map((record) => record.id)).toEqual([recipeId])
    expect((await ada.get(`/api/blobs/${bobsFile}`)).status).toBe(404)
  })

  it('accepts an image once its files are uploaded', async () => {
    const original = await upload(ada, fileBytes('original'))
    const thumbnail = await upload(ada, fileBytes('thumbnail', 20))
    const id = randomUUID()
    const { outcomes } = await push(ada, deviceA, [
      { kind: 'image', id, data: image({ original, thumbnail }) },
    ])
    expect(outcomes[0]?.status).toBe('applied')
    expect((await pull(ada, 0)).changes[0]?.data).toEqual(image({ original, thumbnail }))
  })

  it("rejects a recipe whose edited version is not the user's file, and frees the file with it", async () => {
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    const bobsEdit = await upload(bob, fileBytes('bob-edited'))
    const id = randomUUID()
    const withEdit = (edited: string) => ({ ...recipe(id), files: { edited } })

    const refused = await push(ada, deviceA, [{ kind: 'recipe', id, data: withEdit(bobsEdit) }])
    expect(refused.outcomes).toEqual([
      {
        kind: 'recipe',
        id,
        status: 'rejected',
        reason: 'missing-blob',
        detail: expect.stringContaining(bobsEdit) as string,
      },
    ])
    const put = await ada.put(`/api/records/recipe/${id}`, {
      deviceId: deviceA,
      changeId: randomUUID(),
      data: withEdit(bobsEdit),
    })
    expect(put.status).toBe(409)
    expect((await pull(ada, 0)).changes).toEqual([])
    expect((await ada.get(`/api/blobs/${bobsEdit}`)).status).toBe(404)

    const edited = await upload(ada, fileBytes('ada-edited', 300))
    const applied = await push(ada, deviceA, [{ kind: 'recipe', id, data: withEdit(edited) }])
    expect(applied.outcomes[0]?.status).toBe('applied')
    expect((await pull(ada, 0)).changes[0]?.data).toEqual(withEdit(edited))
    expect(await fileUsage(ada)).toBe(300)
    // Deleting the edit (or saving one without its file) lets go of the edited version.
    await push(ada, deviceA, [{ kind: 'recipe', id, deleted: true, baseSeq: applied.cursor }])
    expect(await fileUsage(ada)).toBe(0)
    expect((await ada.get(`/api/blobs/${edited}`)).status).toBe(404)
  })
})

describe('sync last writer wins', () => {
  let id: string
  let first: number
  let second: Outcome

  // Device A creates the record; device B pulls it (at `first`); device A changes it again.
  beforeEach(async () => {
    id = randomUUID()
    first = (await push(ada, deviceA, [{ kind: 'recipe', id, data: recipe(id, 1) }])).cursor
    const changed = await push(ada, deviceA, [
      { kind: 'recipe', id, baseSeq: first, data: recipe(id, 2) },
    ])
    second = changed.outcomes[0] as Outcome
  })

  it('applies a change made on an old version and reports what it overwrote', async () => {
    const stored = (await pull(ada, 0)).changes[0]
    const { outcomes } = await push(ada, deviceB, [
      { kind: 'recipe', id, baseSeq: first, data: recipe(id, 3) },
    ])
    expect(outcomes[0]).toMatchObject({
      status: 'applied',
      overwrote: { deviceId: deviceA, updatedAt: stored?.updatedAt },
    })
    expect(outcomes[0]?.seq).toBeGreaterThan(second.seq ?? 0)
    const { changes } = await pull(ada, 0)
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ data: recipe(id, 3), deviceId: deviceB })
  })

  it('reports an overwrite when another device sends a record it has never seen', async () => {
    const { outcomes } = await push(ada, deviceB, [
      { kind: 'recipe', id, baseSeq: null, data: recipe(id, 3) },
    ])
    expect(outcomes[0]?.overwrote?.deviceId).toBe(deviceA)
  })

  it('does not report an overwrite when baseSeq is the current version', async () => {
    const { outcomes } = await push(ada, deviceB, [
      { kind: 'recipe', id, baseSeq: second.seq, data: recipe(id, 3) },
    ])
    expect(outcomes[0]?.status).toBe('applied')
    expect(outcomes[0]).not.toHaveProperty('overwrote')
  })

  it('does not report an overwrite of the same device’s own later version', async () => {
    const { outcomes } = await push(ada, deviceA, [
      { kind: 'recipe', id, baseSeq: first, data: recipe(id, 3) },
    ])
    expect(outcomes[0]?.status).toBe('applied')
    expect(outcomes[0]).not.toHaveProperty('overwrote')
    expect((await pull(ada, 0)).changes[0]?.data).toEqual(recipe(id, 3))
  })
})

describe('sync validation', () => {
  async function refused(body: unknown) {
    const response = await ada.post('/api/sync/push', body)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const problem = (await response.json()) as {
      status: number
      type: string
      errors?: { path: string; message: string }[]
      requestId: string
    }
    expect(problem.status).toBe(response.status)
    expect(problem.requestId).toBe(response.headers.get('x-request-id'))
    return problem
  }

  it('answers invalid changes with 400 and the path of each bad field, applying none', async () => {
    const good = randomUUID()
    const { width: _width, ...noWidth } = image({}, '')
    const problem = await refused({
      deviceId: deviceA,
      changes: [
        {
          kind: 'recipe',
          id: good,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: recipe(good),
        },
        {
          kind: 'image',
          id: randomUUID(),
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: noWidth,
        },
        {
          kind: 'recipe',
          id: randomUUID(),
          changeId: 'not-a-uuid',
          baseSeq: -1,
          deleted: false,
          data: recipe('x'),
        },
      ],
    })
    expect(problem.status).toBe(400)
    expect(problem.type).toBe('/api/problems/validation')
    expect(problem.errors?.map((error) => error.path).sort()).toEqual([
      'changes.1.data.name',
      'changes.1.data.width',
      'changes.2.baseSeq',
      'changes.2.changeId',
      'changes.2.data.imageId',
    ])
    expect((await pull(ada, 0)).changes).toEqual([])
  })

  it('answers a recipe with a bad revision, size, type, file or operation shape with 400', async () => {
    const id = randomUUID()
    const problem = await refused({
      deviceId: deviceA,
      changes: [
        {
          kind: 'recipe',
          id,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: {
            ...recipe(id),
            operations: [{ op: 'rotate', degrees: 90 }],
            revision: 0,
            width: 0,
            mime: 'image/gif',
            files: { edited: 'not-a-sha' },
          },
        },
      ],
    })
    expect(problem.status).toBe(400)
    expect(problem.errors?.map((error) => error.path).sort()).toEqual([
      'changes.0.data.files.edited',
      'changes.0.data.mime',
      'changes.0.data.operations.0.params',
      'changes.0.data.revision',
      'changes.0.data.width',
    ])
    expect((await pull(ada, 0)).changes).toEqual([])
  })

  it('answers a bad device id, an empty batch and an unknown kind with 400', async () => {
    const bad = await refused({ deviceId: 'x', changes: [] })
    expect(bad.status).toBe(400)
    expect(bad.errors?.map((error) => error.path).sort()).toEqual(['changes', 'deviceId'])
    const id = randomUUID()
    const kind = await refused({
      deviceId: deviceA,
      changes: [{ kind: 'album', id, changeId: randomUUID(), baseSeq: null, deleted: false }],
    })
    expect(kind.status).toBe(400)
    expect(kind.errors?.map((error) => error.path)).toContain('changes.0.kind')
  })

  it('refuses a result whose id does not match its imageId and task', async () => {
    const imageId = randomUUID()
    for (const [id, data] of [
      [`${randomUUID()}:object-detection`, result(imageId)],
      [`${imageId}:face-detection`, result(imageId)],
      [imageId, result(imageId)],
      [`not-a-uuid:object-detection`, result(imageId)],
    ] as const) {
      const problem = await refused({
        deviceId: deviceA,
        changes: [
          { kind: 'result', id, changeId: randomUUID(), baseSeq: null, deleted: false, data },
        ],
      })
      expect(problem.status).toBe(400)
      expect(problem.errors?.map((error) => error.path)).toEqual(['changes.0.id'])
    }
    // A recipe or image id must be a UUID.
    const notUuid = await refused({
      deviceId: deviceA,
      changes: [
        {
          kind: 'recipe',
          id: 'recipe-1',
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: recipe(imageId),
        },
      ],
    })
    expect(notUuid.errors?.map((error) => error.path)).toEqual(['changes.0.id'])
    const matching = await push(ada, deviceA, [
      { kind: 'result', id: `${imageId}:object-detection`, data: result(imageId) },
    ])
    expect(matching.outcomes[0]?.status).toBe('applied')
    expect((await pull(ada, 0)).changes).toHaveLength(1)
  })

  it('accepts a record of exactly 4 MiB and answers one byte more with 413', async () => {
    const imageId = randomUUID()
    const id = `${imageId}:object-detection`
    const overhead = JSON.stringify(result(imageId, 'object-detection', '')).length
    const atLimit = result(imageId, 'object-detection', 'x'.repeat(maxRecordBytes - overhead))
    expect(JSON.stringify(atLimit).length).toBe(maxRecordBytes)
    const over = result(imageId, 'object-detection', 'x'.repeat(maxRecordBytes - overhead + 1))
    const other = randomUUID()

    const problem = await refused({
      deviceId: deviceA,
      changes: [
        {
          kind: 'recipe',
          id: other,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: recipe(other),
        },
        { kind: 'result', id, changeId: randomUUID(), baseSeq: null, deleted: false, data: over },
      ],
    })
    expect(problem.status).toBe(413)
    expect(problem.type).toBe('/api/problems/record-too-large')
    // The batch is all or nothing: the small change before the large one is not applied either.
    expect((await pull(ada, 0)).changes).toEqual([])

    const accepted = await push(ada, deviceA, [{ kind: 'result', id, data: atLimit }])
    expect(accepted.outcomes[0]?.status).toBe('applied')
    const { changes } = await pull(ada, 0)
    expect((changes[0]?.data as { output: string }).output).toHaveLength(maxRecordBytes - overhead)
  })

  it('answers a body over the JSON limit with 413 without reading it', async () => {
    const limit = gateway.config.maxJsonBytes
    expect(limit).toBe(16 * 1024 * 1024)
    let pulled = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20))
        if (pulled > limit + 1024 * 1024) controller.close()
      },
    })
    const response = await gateway.app.request(
      new Request('http://localhost/api/sync/push', {
        method: 'POST',
        body,
        duplex: 'half',
        headers: {
          cookie: ada.cookie,
          origin: 'http://localhost',
          'content-type': 'application/json',
          'content-length': String(limit + 1),
        },
      } as RequestInit),
    )
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(((await response.json()) as { type: string }).type).toBe('/api/problems/body-too-large')
    // At most what the stream buffers ahead on its own; nothing near the declared 16 MiB.
    expect(pulled).toBeLessThanOrEqual(2 * 64 * 1024)
  })

  it('stops reading a streamed body without a length once it passes the JSON limit', async () => {
    const limit = gateway.config.maxJsonBytes
    const chunk = 1024 * 1024
    let pulled = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk
        controller.enqueue(new Uint8Array(chunk).fill(0x20))
        if (pulled >= 64 * chunk) controller.close()
      },
    })
    const response = await gateway.app.request(
      new Request('http://localhost/api/sync/push', {
        method: 'POST',
        body,
        duplex: 'half',
        headers: {
          cookie: ada.cookie,
          origin: 'http://localhost',
          'content-type': 'application/json',
        },
      } as RequestInit),
    )
    expect(response.status).toBe(413)
    expect(((await response.json()) as { type: string }).type).toBe('/api/problems/body-too-large')
    expect(pulled).toBeLessThanOrEqual(limit + 2 * chunk)
  })
})

describe('sync and file usage', () => {
  let original: string
  let thumbA: string
  let thumbB: string

  beforeEach(async () => {
    original = await upload(ada, fileBytes('original', 1000))
    thumbA = await upload(ada, fileBytes('thumb-a', 100))
    thumbB = await upload(ada, fileBytes('thumb-b', 10))
    expect(await fileUsage(ada)).toBe(1110)
  })

  it('releases a deleted image’s files unless another live image of the user points at them', async () => {
    const [x, y] = [randomUUID(), randomUUID()]
    const created = await push(ada, deviceA, [
      { kind: 'image', id: x, data: image({ original, thumbnail: thumbA }) },
      { kind: 'image', id: y, data: image({ original, thumbnail: thumbB }) },
    ])
    expect(created.outcomes.map((outcome) => outcome.status)).toEqual(['applied', 'applied'])

    await push(ada, deviceA, [{ kind: 'image', id: x, deleted: true, baseSeq: created.cursor }])
    expect(await fileUsage(ada)).toBe(1010)
    expect((await ada.get(`/api/blobs/${thumbA}`)).status).toBe(404)
    expect((await ada.get(`/api/blobs/${original}`)).status).toBe(200)

    await push(ada, deviceA, [{ kind: 'image', id: y, deleted: true, baseSeq: created.cursor }])
    expect(await fileUsage(ada)).toBe(0)
    expect((await ada.get(`/api/blobs/${original}`)).status).toBe(404)
  })

  it('keeps counting a file that a later change in the same push points at again', async () => {
    const [x, y] = [randomUUID(), randomUUID()]
    const created = await push(ada, deviceA, [
      { kind: 'image', id: x, data: image({ original, thumbnail: thumbA }) },
    ])
    // Deleted and imported again offline: one push deletes the old image and adds the new one.
    const { outcomes } = await push(ada, deviceA, [
      { kind: 'image', id: x, deleted: true, baseSeq: created.cursor },
      { kind: 'image', id: y, data: image({ original, thumbnail: thumbA }) },
    ])
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['applied', 'applied'])
    expect(await fileUsage(ada)).toBe(1110)
    expect((await ada.get(`/api/blobs/${original}`)).status).toBe(200)
    expect((await ada.get(`/api/blobs/${thumbA}`)).status).toBe(200)

    // The same holds when one push deletes a record and brings it back.
    const again = await push(ada, deviceA, [
      { kind: 'image', id: y, deleted: true },
      { kind: 'image', id: y, data: image({ original, thumbnail: thumbA }) },
    ])
    expect(again.outcomes.map((outcome) => outcome.status)).toEqual(['applied', 'applied'])
    expect((await ada.get(`/api/blobs/${original}`)).status).toBe(200)
  })

  it('releases files an image stops pointing at when it is replaced', async () => {
    const x = randomUUID()
    const created = await push(ada, deviceA, [
      { kind: 'image', id: x, data: image({ original, thumbnail: thumbA }) },
    ])
    await push(ada, deviceA, [
      {
        kind: 'image',
        id: x,
        baseSeq: created.cursor,
        data: image({ original, thumbnail: thumbB }),
      },
    ])
    expect(await fileUsage(ada)).toBe(1010)
    expect((await ada.get(`/api/blobs/${thumbA}`)).status).toBe(404)
  })

  it('does not keep a file counted for one user because another user’s image points at it', async () => {
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    expect(await upload(bob, fileBytes('original', 1000))).toBe(original)
    const [x, y] = [randomUUID(), randomUUID()]
    const mine = await push(ada, deviceA, [{ kind: 'image', id: x, data: image({ original }) }])
    await push(bob, deviceB, [{ kind: 'image', id: y, data: image({ original }) }])

    await push(ada, deviceA, [{ kind: 'image', id: x, deleted: true, baseSeq: mine.cursor }])
    expect(await fileUsage(ada)).toBe(110)
    expect(await fileUsage(bob)).toBe(1000)
    expect((await bob.get(`/api/blobs/${original}`)).status).toBe(200)
  })
})

describe('sync and the quota', () => {
  it('refuses records past the quota, files and records counted together, but lets a full account shrink', async () => {
    const small = await createTestGateway({ SIGHTLINE_QUOTA_BYTES: '3000' })
    try {
      const bob = small.client()
      await bob.signUp('bob@example.com')
      await upload(bob, fileBytes('photo', 1000))
      const id = randomUUID()
      const big = {
        ...recipe(id),
        operations: [{ op: 'note', params: { text: 'x'.repeat(1500) } }],
      }
      expect(
        (await push(bob, deviceA, [{ kind: 'recipe', id, data: big }])).outcomes[0]?.status,
      ).toBe('applied')
      const other = randomUUID()
      const refused = await bob.post('/api/sync/push', {
        deviceId: deviceA,
        changes: [
          {
            kind: 'recipe',
            id: other,
            changeId: randomUUID(),
            baseSeq: null,
            deleted: false,
            data: big,
          },
        ],
      })
      expect(refused.status).toBe(413)
      expect(((await refused.json()) as { type: string }).type).toBe('/api/problems/quota-exceeded')
      expect((await pull(bob)).changes.map((change) => change.id)).toEqual([id])
      // A smaller version of a stored record still goes through when the account is full.
      const smaller = await push(bob, deviceA, [{ kind: 'recipe', id, data: recipe(id, 180) }])
      expect(smaller.outcomes[0]?.status).toBe('applied')
      // Files count against the same quota as records.
      const tooBig = await bob.post('/api/blobs/uploads', { sha256: 'a'.repeat(64), bytes: 2000 })
      expect(tooBig.status).toBe(413)
    } finally {
      small.close()
    }
  })
})

describe('sync cursor', () => {
  it('numbers each user’s changes on their own counter, so nobody learns of others’ activity', async () => {
    const first = randomUUID()
    expect(
      (await push(ada, deviceA, [{ kind: 'recipe', id: first, data: recipe(first) }])).outcomes[0]
        ?.seq,
    ).toBe(1)
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    const bobs = Array.from({ length: 3 }, () => randomUUID())
    const pushed = await push(
      bob,
      deviceB,
      bobs.map((id) => ({ kind: 'recipe' as const, id, data: recipe(id) })),
    )
    expect(pushed.outcomes.map((outcome) => outcome.seq)).toEqual([1, 2, 3])
    const second = randomUUID()
    const next = await push(ada, deviceA, [{ kind: 'recipe', id: second, data: recipe(second) }])
    expect(next.outcomes[0]?.seq).toBe(2)
    expect(next.cursor).toBe(2)
  })
})
