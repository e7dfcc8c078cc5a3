import 'fake-indexeddb/auto'
import { createHash, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import Dexie from 'dexie'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { TaskId } from '../../../models'
import {
  createTestGateway,
  type TestClient,
  type TestGateway,
} from '../../../server/_testing/gateway'
import type { ExifSummary, Inspected } from '../../../workers/import/types'
import { claimNextJob, completeJob, enqueue } from '../analysis'
import { createDb, type ResultRecord, type SightlineDb } from '../db'
import { removeEdits, saveEdit } from '../edits'
import { addImage, addTags, purgeTrash, restoreImages, trashImages } from '../images'
import { createGatewayClient, type GatewayClient } from './gateway'
import { pullChanges } from './pull'
import { pushChanges } from './push'
import { enableSync, readSyncState, setSyncedFiles } from './state'

// Two or three devices (each its own IndexedDB database) sync through one real gateway on a
// libSQL file; requests go through `app.request`, so no port is opened.

const password = 'correct horse battery'
const origin = 'http://localhost'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url)))
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const bytesOf = async (blob: Blob | undefined) => blob && new Uint8Array(await blob.arrayBuffer())

const photo = fixture('portrait.jpg')
const otherPhoto = fixture('exif-orientation-6.jpg')
const thumbnailBytes = fixture('squirrel.webp')

interface PushBody {
  deviceId: string
  changes: {
    kind: string
    id: string
    changeId: string
    baseSeq: number | null
    deleted: boolean
    data?: Record<string, unknown>
  }[]
}

interface Outcome {
  kind: string
  id: string
  status: 'applied' | 'unchanged' | 'rejected'
  seq?: number
  overwrote?: unknown
}

interface Logged {
  method: string
  path: string
  /** The JSON sent to `/api/sync/push` and the outcomes it got back. */
  push?: PushBody
  outcomes?: Outcome[]
}

interface Account {
  id: string
  email: string
}

interface Device {
  db: SightlineDb
  api: GatewayClient
  deviceId: string
  /** Holds this device's session cookie; also used for raw calls to the gateway. */
  client: TestClient
  requests: Logged[]
  /**
   * Makes the `n`th request from now fail as a dropped connection does (a TypeError from fetch),
   * either before it reaches the gateway or after the gateway has handled it (the answer is lost).
   */
  drop(n: number, when: 'before' | 'after'): void
  push(): Promise<number>
  pull(): Promise<number>
}

let gateway: TestGateway
const dbNames: string[] = []
const dbs: SightlineDb[] = []

beforeEach(async () => {
  gateway = await createTestGateway()
})
afterEach(async () => {
  gateway.close()
  for (const db of dbs.splice(0)) db.close()
  await Promise.all(dbNames.splice(0).map((name) => Dexie.delete(name)))
})

async function signUp(email: string): Promise<Account> {
  const user = await gateway.client().signUp(email, password)
  return { id: user.id, email }
}

/** A new device (its own database and session) signed in as `account`, with sync on. */
async function device(account: Account): Promise<Device> {
  const client = gateway.client()
  const signedIn = await client.post('/api/auth/sign-in', { email: account.email, password })
  expect(signedIn.status).toBe(200)

  const name = `sync-test-${crypto.randomUUID()}`
  dbNames.push(name)
  const db = createDb(name)
  dbs.push(db)

  const requests: Logged[] = []
  let dropAt: { index: number; when: 'before' | 'after' } | undefined
  const fetcher = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    if (input instanceof Request) throw new Error('The test fetcher takes a URL')
    const url = new URL(input)
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = new Headers(init.headers)
    if (client.cookie) headers.set('cookie', client.cookie)
    if (method !== 'GET' && method !== 'HEAD') headers.set('origin', origin)
    const logged: Logged = { method, path: url.pathname }
    if (url.pathname === '/api/sync/push' && typeof init.body === 'string') {
      logged.push = JSON.parse(init.body) as PushBody
    }
    requests.push(logged)
    const dropped = dropAt?.index === requests.length ? dropAt.when : undefined
    if (dropped === 'before') throw new TypeError('fetch failed')
    const response = await gateway.app.request(url.href, { ...init, headers })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie) client.cookie = setCookie.split(';')[0] ?? ''
    if (dropped === 'after') throw new TypeError('fetch failed')
    if (logged.push && response.ok) {
      logged.outcomes = ((await response.clone().json()) as { outcomes: Outcome[] }).outcomes
    }
    return response
  }
  const api = createGatewayClient(origin, fetcher)

  await enableSync(db, account.id)
  const { deviceId } = await readSyncState(db)
  return {
    db,
    api,
    deviceId,
    client,
    requests,
    drop(n, when) {
      dropAt = { index: requests.length + n, when }
    },
    push: () => pushChanges(new AbortController().signal, db, api, deviceId),
    pull: () => pullChanges(new AbortController().signal, db, api, deviceId),
  }
}

const inspected = (bytes: Uint8Array, exif: ExifSummary): Inspected => ({
  hash: sha256(bytes),
  format: 'jpg',
  mime: 'image/jpeg',
  width: 256,
  height: 427,
  orientation: 1,
  exif,
  thumbnail: new Blob([thumbnailBytes], { type: 'image/webp' }),
  thumbnailWidth: 230,
  thumbnailHeight: 384,
})

const cameraExif: ExifSummary = {
  make: 'Canon',
  model: 'EOS 5D',
  takenAt: '2024-05-01T10:20:30',
  gps: { latitude: -33.86, longitude: 151.21, altitude: 12 },
  iso: 200,
}

/** Imports `bytes` the way the import screen does (record, original and thumbnail). */
async function importImage(on: Device, bytes = photo, exif = cameraExif) {
  const file = new File([bytes], 'portrait.jpg', { type: 'image/jpeg' })
  const added = await addImage(on.db, file, inspected(bytes, exif))
  if (added.status !== 'added') throw new Error(`import: ${added.status}`)
  return added.record
}

const mask = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256)

const outputs = {
  'object-detection': {
    objects: [{ label: 'person', score: 0.91, box: { x: 10, y: 20, width: 100, height: 300 } }],
    tags: ['person'],
  },
  'person-segmentation': {
    mask: { width: 8, height: 8, data: mask },
    coverage: 0.5,
    box: { x: 1, y: 0, width: 6, height: 8 },
  },
} as const

const tasks = Object.keys(outputs) as TaskId[]

/** Runs both tasks through the analysis queue's own writes (object detection adds a tag). */
async function analyse(on: Device, imageId: string, only = tasks) {
  await enqueue(on.db, [imageId], only)
  for (let job = await claimNextJob(on.db); job; job = await claimNextJob(on.db)) {
    await completeJob(on.db, job, {
      version: '1.0.0',
      provider: 'wasm',
      threads: 4,
      durationMs: 12.5,
      decodeMs: 3,
      createdAt: 1_700_000_000_000,
      imageSize: { width: 256, height: 427 },
      source: 'original',
      output: outputs[job.task as keyof typeof outputs],
    } as Omit<ResultRecord, 'imageId' | 'task'>)
  }
}

/** Everything the account has on the gateway, as a device pulling from 0 would see it. */
async function gatewayRecords(on: Device) {
  const response = await on.client.get('/api/sync/pull?since=0&limit=1000')
  expect(response.status).toBe(200)
  return (await response.json()) as {
    changes: { kind: string; id: string; seq: number; deleted: boolean; data: unknown }[]
    cursor: number
  }
}

const pushes = (on: Device) => on.requests.filter((request) => request.push)
const lastPush = (on: Device) => pushes(on).at(-1)
const noteOf = async (on: Device, imageId: string) =>
  (await on.db.syncRecords.get(['image', imageId]))?.note?.kind

describe(pullChanges, () => {
  it("brings another device's image, files and results unchanged, and sends nothing back", async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await analyse(a, image.id)

    expect(await a.push()).toBe(3)
    // Each file goes up (start, one chunk, complete) before the record that points at it.
    expect(a.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, ':id')}`)).toEqual([
      'POST /api/blobs/uploads',
      'PUT /api/blobs/uploads/:id',
      'POST /api/blobs/uploads/:id/complete',
      'POST /api/blobs/uploads',
      'PUT /api/blobs/uploads/:id',
      'POST /api/blobs/uploads/:id/complete',
      'POST /api/sync/push',
    ])
    expect(lastPush(a)?.outcomes?.map((o) => o.status)).toEqual(['applied', 'applied', 'applied'])
    expect(await a.db.outbox.count()).toBe(0)

    expect(await b.pull()).toBe(3)
    const sent = await a.db.images.get(image.id)
    expect(sent?.tags).toEqual(['person'])
    expect(await b.db.images.get(image.id)).toEqual(sent)
    const original = (await b.db.originals.get(image.id))?.blob
    const thumbnail = (await b.db.thumbnails.get(image.id))?.blob
    expect(await bytesOf(original)).toEqual(photo)
    expect(original?.type).toBe('image/jpeg')
    expect(await bytesOf(thumbnail)).toEqual(thumbnailBytes)
    expect(thumbnail?.type).toBe('image/webp')
    for (const task of tasks) {
      expect(await b.db.results.get([image.id, task])).toEqual(
        await a.db.results.get([image.id, task]),
      )
    }
    const segmentation = await b.db.results.get([image.id, 'person-segmentation'])
    const restored = (segmentation?.output as { mask: { data: unknown } }).mask.data
    expect(restored).toBeInstanceOf(Uint8Array)
    expect(restored).toEqual(mask)

    // Pulled changes are not echoed back, and the cursor stands at the gateway's last change.
    expect(await b.db.outbox.count()).toBe(0)
    const { cursor } = await gatewayRecords(b)
    expect((await readSyncState(b.db)).cursor).toBe(cursor)
    expect(await b.db.syncRecords.count()).toBe(3)
    const before = b.requests.length
    expect(await b.push()).toBe(0)
    expect(b.requests).toHaveLength(before)

    // A's own changes come back to A as versions it already has: nothing is written or noted.
    expect(await a.pull()).toBe(3)
    expect(await a.db.images.get(image.id)).toEqual(sent)
    expect(await a.db.outbox.count()).toBe(0)
    expect(await noteOf(a, image.id)).toBeUndefined()
    expect((await readSyncState(a.db)).cursor).toBe(cursor)
  })

  it('keeps a record with an unpushed local change, which wins once pushed', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await a.push()
    await b.pull()

    await addTags(a.db, [image.id], ['from-a'])
    await addTags(b.db, [image.id], ['from-b'])
    await a.push()
    await b.pull()
    expect((await b.db.images.get(image.id))?.tags).toEqual(['from-b'])
    expect(await b.db.outbox.get(['image', image.id])).toBeDefined()
    expect(await noteOf(b, image.id)).toBeUndefined()

    await b.push()
    expect(lastPush(b)?.outcomes?.[0]).toMatchObject({ status: 'applied', overwrote: {} })
    expect(await noteOf(b, image.id)).toBe('replaced-elsewhere')
    await a.pull()
    expect((await a.db.images.get(image.id))?.tags).toEqual(['from-b'])
    expect(await noteOf(a, image.id)).toBe('edited-elsewhere')
  })

  it('removes an image purged on another device, with its files and results', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await analyse(a, image.id)
    await a.push()
    await b.pull()
    expect(await b.db.results.where('imageId').equals(image.id).count()).toBe(2)

    await trashImages(a.db, [image.id], 1_000)
    await purgeTrash(a.db, 0, 2_000)
    expect(await a.push()).toBe(3)
    const tombstones = lastPush(a)?.push?.changes.map(({ kind, id, deleted, data }) => ({
      kind,
      id,
      deleted,
      data,
    }))
    expect(tombstones).toHaveLength(3)
    expect(tombstones).toEqual(
      expect.arrayContaining([
        { kind: 'image', id: image.id, deleted: true, data: undefined },
        ...tasks.map((task) => ({
          kind: 'result',
          id: `${image.id}:${task}`,
          deleted: true,
          data: undefined,
        })),
      ]),
    )

    expect(await b.pull()).toBe(3)
    expect(await b.db.images.get(image.id)).toBeUndefined()
    expect(await b.db.originals.get(image.id)).toBeUndefined()
    expect(await b.db.thumbnails.get(image.id)).toBeUndefined()
    expect(await b.db.results.count()).toBe(0)
    expect(await b.db.outbox.count()).toBe(0)
    expect(await b.push()).toBe(0)
  })

  it('keeps its own image when another device imported the same bytes', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const fromA = await importImage(a)
    await analyse(a, fromA.id)
    await a.push()
    // A tag added after the analysis moves the image after its results in the gateway's order.
    await addTags(a.db, [fromA.id], ['later'])
    await a.push()
    const fromB = await importImage(b)
    expect(fromB.id).not.toBe(fromA.id)
    expect(fromB.hash).toBe(fromA.hash)

    expect(await b.pull()).toBe(3)
    expect(await b.db.images.toArray()).toEqual([fromB])
    expect(await b.db.syncRecords.get(['image', fromA.id])).toMatchObject({
      duplicateOf: fromB.id,
    })
    expect(await b.db.results.count()).toBe(0)
    expect(await bytesOf((await b.db.originals.get(fromB.id))?.blob)).toEqual(photo)
    expect(await b.db.originals.count()).toBe(1)
    // B's own import is still waiting to be pushed; nothing pulled joined it.
    expect((await b.db.outbox.toArray()).map((entry) => entry.key)).toEqual([fromB.id])

    // Pushed, B's copy reaches A as a duplicate of A's.
    await b.push()
    await a.pull()
    expect((await a.db.images.toArray()).map((image) => image.id)).toEqual([fromA.id])
    expect(await a.db.syncRecords.get(['image', fromB.id])).toMatchObject({
      duplicateOf: fromA.id,
    })
  })

  it('brings back an image trashed and restored on another device, with its results', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await analyse(a, image.id)
    await a.push()
    await b.pull()

    // The trash is A's own: other devices see the image go, but its results stay on the gateway.
    await trashImages(a.db, [image.id])
    expect(await a.push()).toBe(1)
    await b.pull()
    expect(await b.db.images.get(image.id)).toBeUndefined()
    expect(await b.db.originals.get(image.id)).toBeUndefined()

    await restoreImages(a.db, [image.id])
    expect(await a.push()).toBe(1)
    await b.pull()
    expect(await b.db.images.get(image.id)).toEqual(await a.db.images.get(image.id))
    expect(await bytesOf((await b.db.originals.get(image.id))?.blob)).toEqual(photo)
    for (const task of tasks) {
      expect(await b.db.results.get([image.id, task])).toEqual(
        await a.db.results.get([image.id, task]),
      )
    }
  })

  it('pages through more changes than one push batch and one pull page hold', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const photos = ['portrait.jpg', 'exif-orientation-6.jpg', 'butterfly.jpg', 'squirrel.jpg']
    const images = []
    for (const name of [...photos, 'messi5.jpg']) images.push(await importImage(a, fixture(name)))
    const results = Array.from({ length: 205 }, () => ({
      imageId: crypto.randomUUID(),
      task: 'image-properties',
      version: '1.0.0',
      provider: 'js',
      threads: 1,
      durationMs: 1,
      decodeMs: 1,
      createdAt: 1,
      imageSize: { width: 10, height: 10 },
      source: 'original',
      output: { bytes: Uint8Array.of(1, 2, 3) },
    })) as unknown as ResultRecord[]
    await a.db.results.bulkPut(results)

    expect(await a.push()).toBe(210)
    expect(pushes(a)).toHaveLength(3)
    expect(await b.pull()).toBe(210)
    expect(b.requests.filter((r) => r.path === '/api/sync/pull')).toHaveLength(2)
    expect(await b.db.results.count()).toBe(205)
    for (const image of images) {
      expect(await b.db.images.get(image.id)).toEqual(image)
      expect(await b.db.originals.get(image.id)).toBeDefined()
      expect(await b.db.thumbnails.get(image.id)).toBeDefined()
    }
    expect((await readSyncState(b.db)).cursor).toBe((await gatewayRecords(a)).cursor)
    expect(await b.db.outbox.count()).toBe(0)
  })

  it('brings nothing of another account', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const image = await importImage(a)
    await analyse(a, image.id)
    await a.push()

    const cy = await device(await signUp('cy@example.com'))
    expect(await cy.pull()).toBe(0)
    expect(await cy.db.images.count()).toBe(0)
    expect(await cy.db.results.count()).toBe(0)
    expect((await readSyncState(cy.db)).cursor).toBe(0)
    expect((await cy.client.get(`/api/blobs/${image.hash}`)).status).toBe(404)
  })
})

describe(pushChanges, () => {
  it('sends a retried change once: the gateway answers unchanged and no version is added', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await a.push()
    const first = lastPush(a)?.push?.changes[0]
    const seq = lastPush(a)?.outcomes?.[0]?.seq
    const { cursor } = await gatewayRecords(a)
    await b.pull()

    // The same outbox entry again, with the change id it was sent with (a retry after a lost
    // answer looks like this).
    await a.db.outbox.put({
      kind: 'image',
      key: image.id,
      at: Date.now(),
      changeId: first?.changeId,
    })
    expect(await a.push()).toBe(1)
    expect(lastPush(a)?.push?.changes[0]?.changeId).toBe(first?.changeId)
    expect(lastPush(a)?.outcomes).toEqual([
      { kind: 'image', id: image.id, status: 'unchanged', seq },
    ])
    expect(await a.db.outbox.count()).toBe(0)
    expect(await a.db.syncRecords.get(['image', image.id])).toMatchObject({ seq })

    expect((await gatewayRecords(a)).cursor).toBe(cursor)
    const pulls = b.requests.length
    expect(await b.pull()).toBe(0)
    expect(b.requests.slice(pulls).map((r) => r.path)).toEqual(['/api/sync/pull'])
  })

  it('lets the later push win, and notes it on both devices', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await a.push()
    await b.pull()

    // Both edit offline; A gets through first.
    await addTags(a.db, [image.id], ['beach'])
    await addTags(b.db, [image.id], ['holiday', 'sea'])
    await a.push()
    expect(lastPush(a)?.outcomes?.[0]).not.toHaveProperty('overwrote')
    await b.push()
    expect(lastPush(b)?.outcomes?.[0]).toMatchObject({ status: 'applied', overwrote: {} })

    const onGateway = (await gatewayRecords(a)).changes.find((record) => record.id === image.id)
    expect(onGateway?.data).toMatchObject({ tags: ['holiday', 'sea'] })
    await a.pull()
    await b.pull()
    expect((await a.db.images.get(image.id))?.tags).toEqual(['holiday', 'sea'])
    expect((await b.db.images.get(image.id))?.tags).toEqual(['holiday', 'sea'])
    expect(await a.db.images.get(image.id)).toEqual(await b.db.images.get(image.id))
    expect(await noteOf(b, image.id)).toBe('replaced-elsewhere')
    expect(await noteOf(a, image.id)).toBe('edited-elsewhere')
    expect(await a.db.outbox.count()).toBe(0)
    expect(await b.db.outbox.count()).toBe(0)
  })

  // Requests of a push of one image with one result: 1–3 upload the thumbnail (start, chunk,
  // complete), 4–6 the original, 7 sends the records.
  it.each([
    { n: 1, when: 'before', what: 'starting an upload' },
    { n: 3, when: 'before', what: 'completing an upload' },
    { n: 3, when: 'after', what: 'completing an upload' },
    { n: 4, when: 'after', what: 'starting an upload' },
    { n: 7, when: 'before', what: 'sending the records' },
    { n: 7, when: 'after', what: 'sending the records' },
  ] as const)(
    'keeps the outbox when the connection drops $when $what (request $n), then sends each change once',
    async ({ n, when }) => {
      const ada = await signUp('ada@example.com')
      const a = await device(ada)
      const image = await importImage(a)
      await analyse(a, image.id, ['object-detection'])

      a.drop(n, when)
      await expect(a.push()).rejects.toMatchObject({ name: 'NetworkError' })
      expect(await a.db.outbox.count()).toBe(2)
      const cut = await gatewayRecords(a)

      expect(await a.push()).toBe(2)
      expect(await a.db.outbox.count()).toBe(0)
      const { changes, cursor } = await gatewayRecords(a)
      expect(changes.map((record) => record.id).sort()).toEqual(
        [image.id, `${image.id}:object-detection`].sort(),
      )
      if (n === 7 && when === 'after') {
        // The first push landed; the retry was recognised by its change ids.
        expect(cut.changes).toHaveLength(2)
        expect(cursor).toBe(cut.cursor)
        expect(lastPush(a)?.outcomes?.map((o) => o.status)).toEqual(['unchanged', 'unchanged'])
      } else {
        expect(cut.changes).toHaveLength(0)
        expect(lastPush(a)?.outcomes?.map((o) => o.status)).toEqual(['applied', 'applied'])
        expect(changes.map((record) => record.seq)).toEqual([cursor - 1, cursor])
      }
      const b = await device(ada)
      await b.pull()
      expect(await bytesOf((await b.db.originals.get(image.id))?.blob)).toEqual(photo)
    },
  )

  it('resumes an upload whose chunk was cut off, within the same push', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    await importImage(a)
    a.drop(5, 'after')
    expect(await a.push()).toBe(1)
    expect(a.requests.filter((r) => r.method === 'PUT')).toHaveLength(2)
    expect((await gatewayRecords(a)).changes).toHaveLength(1)
  })
})

describe(setSyncedFiles, () => {
  it('sends records without files or GPS, and other devices get no files', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    await setSyncedFiles(a.db, 'none')
    const image = await importImage(a)
    await analyse(a, image.id)

    expect(await a.push()).toBe(3)
    expect(a.requests.map((r) => r.path)).toEqual(['/api/sync/push'])
    const sent = lastPush(a)?.push?.changes.find((change) => change.kind === 'image')
    expect(sent?.data).toMatchObject({ hash: image.hash, files: {} })
    expect(sent?.data?.exif).toEqual({
      make: 'Canon',
      model: 'EOS 5D',
      takenAt: '2024-05-01T10:20:30',
      iso: 200,
    })

    expect(await b.pull()).toBe(3)
    const { gps: _gps, ...exif } = cameraExif
    expect(await b.db.images.get(image.id)).toEqual({ ...(await a.db.images.get(image.id)), exif })
    expect(await b.db.originals.count()).toBe(0)
    expect(await b.db.thumbnails.count()).toBe(0)
    expect(await b.db.results.count()).toBe(2)
    // A keeps its own files.
    expect(await bytesOf((await a.db.originals.get(image.id))?.blob)).toEqual(photo)
  })

  it("keeps the device's own GPS position when another device's edit comes back", async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    await setSyncedFiles(a.db, 'none')
    const image = await importImage(a)
    await a.push()
    await b.pull()
    await addTags(b.db, [image.id], ['edited-on-b'])
    await b.push()
    expect(lastPush(b)?.push?.changes[0]?.data?.exif).not.toHaveProperty('gps')

    await a.pull()
    const back = await a.db.images.get(image.id)
    expect(back?.tags).toEqual(['edited-on-b'])
    expect(back?.exif).toEqual(cameraExif)
    expect(await bytesOf((await a.db.originals.get(image.id))?.blob)).toEqual(photo)
  })

  it('queues every image again so the gateway lets go of files already sent', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const image = await importImage(a)
    await a.push()
    await setSyncedFiles(a.db, 'none')
    expect((await a.db.outbox.toArray()).map((entry) => entry.key)).toEqual([image.id])
    await a.push()
    expect(lastPush(a)?.push?.changes[0]?.data).toMatchObject({ files: {} })
    expect((await a.client.get(`/api/blobs/${image.hash}`)).status).toBe(404)
    // Setting the same choice again queues nothing.
    await setSyncedFiles(a.db, 'none')
    expect(await a.db.outbox.count()).toBe(0)
  })
})

describe(enableSync, () => {
  it('starts over with another account: everything is queued and the cursor goes back', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const image = await importImage(a)
    await analyse(a, image.id)
    await importImage(a, otherPhoto, {})
    await a.push()
    await a.pull()
    expect((await readSyncState(a.db)).cursor).toBe(4)
    expect(await a.db.syncRecords.count()).toBe(4)

    // The same account again changes nothing.
    await enableSync(a.db, ada.id)
    expect(await a.db.outbox.count()).toBe(0)
    expect((await readSyncState(a.db)).cursor).toBe(4)

    const bo = await signUp('bo@example.com')
    await enableSync(a.db, bo.id)
    const state = await readSyncState(a.db)
    expect(state).toMatchObject({ userId: bo.id, enabled: true, cursor: 0 })
    expect(await a.db.syncRecords.count()).toBe(0)
    const queued = (await a.db.outbox.toArray()).map((entry) => `${entry.kind}:${entry.key}`)
    const local = [
      ...(await a.db.images.toCollection().primaryKeys()).map((id) => `image:${id}`),
      ...tasks.map((task) => `result:${image.id}:${task}`),
    ]
    expect(queued.sort()).toEqual(local.sort())

    // Signed in as Bo, the device sends everything to Bo's account, files included.
    const signedIn = await a.client.post('/api/auth/sign-in', { email: bo.email, password })
    expect(signedIn.status).toBe(200)
    expect(await a.push()).toBe(4)
    const other = await device(bo)
    expect(await other.pull()).toBe(4)
    expect(await other.db.images.count()).toBe(2)
    expect(await bytesOf((await other.db.originals.get(image.id))?.blob)).toEqual(photo)
  })
})

/**
 * The edited version the editor would save for `operations` (a quarter turn, or that and a
 * greyscale), rendered by sharp from the original's bytes.
 */
async function renderEdit(bytes: Uint8Array, grey = false) {
  const pipeline = sharp(bytes).rotate(90)
  const { data, info } = await (grey ? pipeline.greyscale() : pipeline)
    .jpeg({ quality: 90 })
    .toBuffer({ resolveWithObject: true })
  const rendered = new Uint8Array(data)
  return {
    bytes: rendered,
    rendered: {
      blob: new Blob([rendered], { type: 'image/jpeg' }),
      width: info.width,
      height: info.height,
    },
    operations: [
      { op: 'rotate' as const, degrees: 90, fill: 'black' as const },
      ...(grey ? [{ op: 'grayscale' as const }] : []),
    ],
  }
}

/** Saves an edit of `imageId` on `on` the way the editor does; returns the edited bytes. */
async function edit(on: Device, imageId: string, grey = false) {
  const original = await bytesOf((await on.db.originals.get(imageId))?.blob)
  if (!original) throw new Error('edit: no original')
  const { bytes, rendered, operations } = await renderEdit(original, grey)
  await saveEdit(on.db, imageId, operations, rendered)
  return bytes
}

/** The SHA-256s of every file in the gateway's file store (the disk store's folder). */
function storedFiles(): string[] {
  if (gateway.config.blobs.kind !== 'disk') throw new Error('the tests use the disk store')
  let names: string[]
  try {
    names = readdirSync(gateway.config.blobs.dir, { recursive: true, encoding: 'utf8' })
  } catch {
    return []
  }
  return names.map((name) => name.split('/').at(-1) ?? '').filter((name) => name.length === 64)
}

const editNoteOf = async (on: Device, imageId: string) =>
  (await on.db.syncRecords.get(['recipe', imageId]))?.note?.kind

describe('edits', () => {
  it('brings an edit made on another device with its edited version, and removes it with it', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await a.push()
    await b.pull()

    const edited = await edit(a, image.id)
    const before = a.requests.length
    expect(await a.push()).toBe(1)
    expect(a.requests.slice(before).map((r) => `${r.method} ${r.path.split('/')[3]}`)).toEqual([
      'POST uploads',
      'PUT uploads',
      'POST uploads',
      'POST push',
    ])
    const sent = lastPush(a)?.push?.changes[0]
    expect(sent).toMatchObject({ kind: 'recipe', id: image.id, deleted: false })
    expect(sent?.data).toEqual({
      imageId: image.id,
      operations: [{ op: 'rotate', params: { degrees: 90, fill: 'black' } }],
      revision: 1,
      savedAt: expect.any(Number) as number,
      width: 427,
      height: 256,
      mime: 'image/jpeg',
      files: { edited: sha256(edited) },
    })

    expect(await b.pull()).toBe(1)
    expect(await b.db.edits.get(image.id)).toEqual(await a.db.edits.get(image.id))
    const arrived = (await b.db.edited.get(image.id))?.blob
    expect(await bytesOf(arrived)).toEqual(edited)
    expect(arrived?.type).toBe('image/jpeg')
    expect(await b.db.outbox.count()).toBe(0)
    expect(await editNoteOf(b, image.id)).toBeUndefined()
    // A's own changes (the image and its recipe) come back to A as versions it has.
    expect(await a.pull()).toBe(2)
    expect(await a.db.outbox.count()).toBe(0)
    expect(await editNoteOf(a, image.id)).toBeUndefined()

    // Saved again: the next revision replaces the edit and its edited version.
    const again = await edit(a, image.id, true)
    await a.push()
    await b.pull()
    expect(await b.db.edits.get(image.id)).toMatchObject({
      revision: 2,
      operations: [{ op: 'rotate', degrees: 90, fill: 'black' }, { op: 'grayscale' }],
    })
    expect(await b.db.edits.get(image.id)).toEqual(await a.db.edits.get(image.id))
    expect(await bytesOf((await b.db.edited.get(image.id))?.blob)).toEqual(again)
    expect((await a.client.get(`/api/blobs/${sha256(edited)}`)).status).toBe(404)

    await removeEdits(a.db, [image.id])
    expect(await a.push()).toBe(1)
    expect(lastPush(a)?.push?.changes[0]).toMatchObject({
      kind: 'recipe',
      id: image.id,
      deleted: true,
    })
    expect(await b.pull()).toBe(1)
    expect(await b.db.edits.get(image.id)).toBeUndefined()
    expect(await b.db.edited.get(image.id)).toBeUndefined()
    expect(await bytesOf((await b.db.originals.get(image.id))?.blob)).toEqual(photo)
    expect(await b.db.outbox.count()).toBe(0)
    expect((await a.client.get(`/api/blobs/${sha256(again)}`)).status).toBe(404)
  })

  it('keeps a local edit not yet pushed, which wins once pushed, and notes it on both', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    await edit(a, image.id)
    await a.push()
    await b.pull()

    await edit(a, image.id, true)
    const fromB = await edit(b, image.id)
    await a.push()
    await b.pull()
    // B's own save (its revision 2, a quarter turn) is kept while it waits to be pushed.
    expect(await b.db.edits.get(image.id)).toMatchObject({ revision: 2, operations: [{}] })
    expect(await bytesOf((await b.db.edited.get(image.id))?.blob)).toEqual(fromB)
    expect(await b.db.outbox.get(['recipe', image.id])).toBeDefined()

    await b.push()
    expect(lastPush(b)?.outcomes?.[0]).toMatchObject({ status: 'applied', overwrote: {} })
    expect(await editNoteOf(b, image.id)).toBe('replaced-elsewhere')
    await a.pull()
    expect(await a.db.edits.get(image.id)).toEqual(await b.db.edits.get(image.id))
    expect(await bytesOf((await a.db.edited.get(image.id))?.blob)).toEqual(fromB)
    expect(await editNoteOf(a, image.id)).toBe('edited-elsewhere')
    expect(await a.db.outbox.count()).toBe(0)
  })

  it('keeps the edit of an image trashed elsewhere, and drops it when that trash is emptied', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    const edited = await edit(a, image.id)
    await a.push()
    await b.pull()

    await trashImages(a.db, [image.id])
    await a.push()
    await b.pull()
    expect(await b.db.images.get(image.id)).toBeUndefined()
    expect(await b.db.edits.get(image.id)).toBeDefined()

    await restoreImages(a.db, [image.id])
    await a.push()
    await b.pull()
    expect(await b.db.images.get(image.id)).toBeDefined()
    expect(await b.db.edits.get(image.id)).toEqual(await a.db.edits.get(image.id))
    expect(await bytesOf((await b.db.edited.get(image.id))?.blob)).toEqual(edited)

    await trashImages(a.db, [image.id], 1_000)
    await purgeTrash(a.db, 0, 2_000)
    expect(await a.push()).toBe(2)
    expect(
      lastPush(a)
        ?.push?.changes.map((c) => `${c.kind}:${c.deleted}`)
        .sort(),
    ).toEqual(['image:true', 'recipe:true'])
    await b.pull()
    expect(await b.db.images.get(image.id)).toBeUndefined()
    expect(await b.db.edits.count()).toBe(0)
    expect(await b.db.edited.count()).toBe(0)
    expect(await b.db.outbox.count()).toBe(0)
  })

  it('skips a recipe this version cannot use with a warning, and applies the rest of the pull', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    const image = await importImage(a)
    const other = await importImage(a, otherPhoto, {})
    const edited = await edit(a, image.id)
    await a.push()
    await b.pull()
    const kept = await b.db.edits.get(image.id)
    expect(kept).toBeDefined()

    // A newer app (or a damaged client) writes operations this version does not know.
    const recipe = (imageId: string, operations: unknown[], revision: number) => ({
      kind: 'recipe',
      id: imageId,
      changeId: randomUUID(),
      baseSeq: null,
      deleted: false,
      data: {
        imageId,
        operations,
        revision,
        savedAt: 1_700_000_000_000,
        width: 427,
        height: 256,
        mime: 'image/jpeg',
        files: {},
      },
    })
    const pushed = await a.client.post('/api/sync/push', {
      deviceId: 'device-newer-app',
      changes: [
        recipe(image.id, [{ op: 'vignette', params: { amount: 0.4 } }], 2),
        recipe(other.id, [{ op: 'rotate', params: { degrees: 'ninety' } }], 1),
        recipe(randomUUID(), [{ op: 'flip', params: { axis: 'vertical' } }], 1),
        {
          kind: 'image',
          id: other.id,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: { ...(await a.db.images.get(other.id)), id: undefined, tags: ['later'], files: {} },
        },
      ],
    })
    expect(pushed.status).toBe(200)

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      expect(await b.pull()).toBe(4)
      expect(warn).toHaveBeenCalledTimes(2)
      expect(String(warn.mock.calls[0]?.[0])).toContain(image.id)
    } finally {
      warn.mockRestore()
    }
    // The unusable versions leave the edits here as they were; the usable ones are applied.
    expect(await b.db.edits.get(image.id)).toEqual(kept)
    expect(await bytesOf((await b.db.edited.get(image.id))?.blob)).toEqual(edited)
    expect(await b.db.edits.get(other.id)).toBeUndefined()
    expect(await b.db.edits.count()).toBe(2)
    expect((await b.db.images.get(other.id))?.tags).toEqual(['later'])
    expect((await readSyncState(b.db)).cursor).toBe((await gatewayRecords(b)).cursor)
    expect(await b.db.outbox.count()).toBe(0)
  })
})

describe('files: edited versions only', () => {
  it('sends edited versions but no original, thumbnail or GPS position of any image', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const b = await device(ada)
    await setSyncedFiles(a.db, 'edited')
    const redacted = await importImage(a)
    const plain = await importImage(a, otherPhoto)
    const edited = await edit(a, redacted.id)
    await analyse(a, redacted.id)

    expect(await a.push()).toBe(5)
    const uploads = a.requests.filter((r) => r.method === 'POST' && r.path === '/api/blobs/uploads')
    expect(uploads).toHaveLength(1)
    // The gateway's file store holds the edited version and nothing else.
    expect(storedFiles()).toEqual([sha256(edited)])
    for (const sha of [redacted.hash, plain.hash, sha256(thumbnailBytes)]) {
      expect((await a.client.get(`/api/blobs/${sha}`)).status).toBe(404)
    }
    const { changes } = await gatewayRecords(a)
    const { gps: _gps, ...exif } = cameraExif
    for (const id of [redacted.id, plain.id]) {
      const record = changes.find((change) => change.kind === 'image' && change.id === id)
      expect(record?.data).toMatchObject({ files: {}, exif })
      expect((record?.data as { exif: object }).exif).not.toHaveProperty('gps')
    }
    const recipe = changes.find((change) => change.kind === 'recipe')
    expect(recipe).toMatchObject({ id: redacted.id, data: { files: { edited: sha256(edited) } } })

    expect(await b.pull()).toBe(5)
    expect(await b.db.images.count()).toBe(2)
    expect(await b.db.images.get(redacted.id)).toEqual({
      ...(await a.db.images.get(redacted.id)),
      exif,
    })
    expect(await b.db.originals.count()).toBe(0)
    expect(await b.db.thumbnails.count()).toBe(0)
    expect(await b.db.edits.get(redacted.id)).toEqual(await a.db.edits.get(redacted.id))
    expect(await bytesOf((await b.db.edited.get(redacted.id))?.blob)).toEqual(edited)
    expect(await b.db.edited.count()).toBe(1)
    // A keeps its own files.
    expect(await bytesOf((await a.db.originals.get(redacted.id))?.blob)).toEqual(photo)
  })

  it('lets go of the originals and thumbnails sent before, keeping the edited versions', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const image = await importImage(a)
    const edited = await edit(a, image.id)
    await a.push()
    expect(storedFiles().sort()).toEqual(
      [image.hash, sha256(thumbnailBytes), sha256(edited)].sort(),
    )

    await setSyncedFiles(a.db, 'edited')
    expect((await a.db.outbox.toArray()).map((e) => `${e.kind}:${e.key}`).sort()).toEqual(
      [`image:${image.id}`, `recipe:${image.id}`].sort(),
    )
    expect(await a.push()).toBe(2)
    expect((await a.client.get(`/api/blobs/${image.hash}`)).status).toBe(404)
    expect((await a.client.get(`/api/blobs/${sha256(thumbnailBytes)}`)).status).toBe(404)
    expect((await a.client.get(`/api/blobs/${sha256(edited)}`)).status).toBe(200)

    // With no files at all, the edited version goes too; the recipe itself still syncs.
    await setSyncedFiles(a.db, 'none')
    expect(await a.push()).toBe(2)
    expect((await a.client.get(`/api/blobs/${sha256(edited)}`)).status).toBe(404)
    const b = await device(ada)
    await b.pull()
    expect(await b.db.edits.get(image.id)).toEqual(await a.db.edits.get(image.id))
    expect(await b.db.edited.count()).toBe(0)
  })

  it('queues every edit too when starting over with another account', async () => {
    const ada = await signUp('ada@example.com')
    const a = await device(ada)
    const image = await importImage(a)
    await edit(a, image.id)
    await a.push()
    await enableSync(a.db, (await signUp('bo@example.com')).id)
    expect((await a.db.outbox.toArray()).map((e) => `${e.kind}:${e.key}`).sort()).toEqual(
      [`image:${image.id}`, `recipe:${image.id}`].sort(),
    )
  })
})
