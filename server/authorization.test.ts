import { createHash, randomUUID } from 'node:crypto'
import { createTestGateway, TestClient, type TestGateway } from './_testing/gateway'
import { recipeData } from './_testing/records'

/**
 * Who may touch what, route by route. Alice keeps data of every kind on the gateway; Bob (a
 * plain user too) and a signed-out client try every route with her ids. Every route of the
 * OpenAPI document must be in `matrix` or `publicRoutes`, so a new route cannot skip this test.
 */

const publicRoutes = new Set([
  'GET /api/health',
  'GET /api/ready',
  'POST /api/auth/sign-up',
  'POST /api/auth/sign-in',
  'POST /api/auth/sign-out',
  'GET /api/auth/session',
  // Authenticated by the DSN key inside the envelope, not by a session (routes/telemetry.test.ts).
  'POST /api/telemetry/envelope',
  'POST /api/{projectId}/envelope/',
  // Authenticated by the DSN key in its query (routes/inference.test.ts).
  'POST /api/telemetry/inference',
  'GET /api/openapi.json',
  'GET /api/docs',
])

const alicePassword = 'alice password 1'
const bobPassword = 'bob password 22'
const aliceDevice = 'alice-laptop-1'
const bobDevice = 'bob-phone-42'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const bytesOf = (text: string) => new TextEncoder().encode(text)

/** Everything Alice has on the gateway, and what must never reach Bob. */
interface World {
  alice: TestClient
  bob: TestClient
  admin: TestClient
  aliceId: string
  bobId: string
  imageId: string
  resultId: string
  recipeId: string
  uploadId: string
  original: string
  thumbnail: string
  pending: string
  originalBytes: Uint8Array
  /** Strings of Alice's that no answer to Bob may contain (unless Bob sent them himself). */
  secrets: Record<string, string>
}

interface Attempt {
  method: string
  path: string
  body?: unknown
  headers?: Record<string, string>
  /** The status Bob must get. */
  status: number
  /** Strings of Alice's that Bob may see echoed because he holds them himself. */
  allow?: string[]
  check?: (body: unknown, world: World) => void | Promise<void>
}

type Call = Omit<Attempt, 'status' | 'check'>

interface Entry {
  /** A request with Alice's ids from a signed-out client; it must be answered 401. */
  anon: (w: World) => Call
  /** What Bob tries, in order. */
  bob: (w: World) => Attempt[]
}

const recipeOf = (imageId: string, op: string) => recipeData(imageId, { op })

const imageOf = (
  name: string,
  files: { original?: string; thumbnail?: string },
  extra: { tags?: string[]; exif?: Record<string, unknown> } = {},
) => ({
  hash: files.original ?? '0'.repeat(64),
  name,
  mime: 'image/jpeg',
  format: 'jpeg',
  bytes: 100,
  width: 640,
  height: 480,
  orientation: 1,
  exif: extra.exif ?? {},
  tags: extra.tags ?? [],
  addedAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  thumbnailWidth: 64,
  thumbnailHeight: 48,
  files,
})

const resultOf = (imageId: string, label: string) => ({
  imageId,
  task: 'object-detection',
  version: '1',
  provider: 'wasm',
  threads: 4,
  durationMs: 12.5,
  decodeMs: 3,
  createdAt: 1_700_000_000_000,
  imageSize: { width: 640, height: 480 },
  source: 'local',
  output: [{ label, score: 0.9 }],
})

const write = (data: unknown) => ({ deviceId: bobDevice, changeId: randomUUID(), data })
const erase = () => ({ deviceId: bobDevice, changeId: randomUUID() })

const notFound = (path: string, method = 'GET', body?: unknown): Attempt => ({
  method,
  path,
  body,
  status: 404,
})

const matrix: Record<string, Entry> = {
  'GET /api/account': {
    anon: () => ({ method: 'GET', path: '/api/account' }),
    bob: () => [
      {
        method: 'GET',
        path: '/api/account',
        status: 200,
        check: (body, w) =>
          expect(body).toMatchObject({
            user: { id: w.bobId },
            usage: { fileBytes: 0, recordBytes: 0, records: 0 },
          }),
      },
    ],
  },
  'POST /api/account/password': {
    anon: () => ({
      method: 'POST',
      path: '/api/account/password',
      body: { currentPassword: alicePassword, newPassword: 'taken over at last' },
    }),
    bob: () => [
      {
        method: 'POST',
        path: '/api/account/password',
        body: { currentPassword: alicePassword, newPassword: 'taken over at last' },
        status: 403,
      },
    ],
  },
  'DELETE /api/account': {
    anon: () => ({ method: 'DELETE', path: '/api/account', body: { password: alicePassword } }),
    bob: () => [
      { method: 'DELETE', path: '/api/account', body: { password: alicePassword }, status: 403 },
    ],
  },
  'GET /api/admin/users': {
    anon: () => ({ method: 'GET', path: '/api/admin/users' }),
    bob: () => [{ method: 'GET', path: '/api/admin/users', status: 403 }],
  },
  'GET /api/admin/telemetry/issues': {
    anon: () => ({ method: 'GET', path: '/api/admin/telemetry/issues' }),
    bob: () => [{ method: 'GET', path: '/api/admin/telemetry/issues', status: 403 }],
  },
  'GET /api/admin/monitoring/series': {
    anon: () => ({ method: 'GET', path: '/api/admin/monitoring/series?hours=1' }),
    bob: () => [{ method: 'GET', path: '/api/admin/monitoring/series?hours=1', status: 403 }],
  },
  'GET /api/admin/alerts': {
    anon: () => ({ method: 'GET', path: '/api/admin/alerts' }),
    bob: () => [{ method: 'GET', path: '/api/admin/alerts', status: 403 }],
  },
  'POST /api/admin/alerts/evaluate': {
    anon: () => ({ method: 'POST', path: '/api/admin/alerts/evaluate' }),
    bob: () => [{ method: 'POST', path: '/api/admin/alerts/evaluate', status: 403 }],
  },
  'GET /api/admin/telemetry/issues/{id}/events': {
    anon: () => ({ method: 'GET', path: '/api/admin/telemetry/issues/1/events' }),
    bob: () => [{ method: 'GET', path: '/api/admin/telemetry/issues/1/events', status: 403 }],
  },
  'PATCH /api/admin/users/{id}': {
    anon: (w) => ({
      method: 'PATCH',
      path: `/api/admin/users/${w.aliceId}`,
      body: { disabled: true },
    }),
    bob: (w) => [
      {
        method: 'PATCH',
        path: `/api/admin/users/${w.aliceId}`,
        body: { disabled: true },
        status: 403,
      },
      // Nor may he switch himself to admin or re-enable anyone through it.
      {
        method: 'PATCH',
        path: `/api/admin/users/${w.bobId}`,
        body: { disabled: false },
        status: 403,
      },
    ],
  },
  'GET /api/sync/pull': {
    anon: () => ({ method: 'GET', path: '/api/sync/pull?since=0' }),
    bob: () => [
      {
        method: 'GET',
        path: '/api/sync/pull?since=0&limit=1000',
        status: 200,
        check: (body) => expect(body).toEqual({ changes: [], cursor: 0, hasMore: false }),
      },
    ],
  },
  'GET /api/records/{kind}/{id}': {
    anon: (w) => ({ method: 'GET', path: `/api/records/image/${w.imageId}` }),
    bob: (w) => [
      notFound(`/api/records/image/${w.imageId}`),
      notFound(`/api/records/result/${w.resultId}`),
      notFound(`/api/records/recipe/${w.recipeId}`),
    ],
  },
  'DELETE /api/records/{kind}/{id}': {
    anon: (w) => ({ method: 'DELETE', path: `/api/records/recipe/${w.recipeId}`, body: erase() }),
    bob: (w) => [
      notFound(`/api/records/image/${w.imageId}`, 'DELETE', erase()),
      notFound(`/api/records/result/${w.resultId}`, 'DELETE', erase()),
      notFound(`/api/records/recipe/${w.recipeId}`, 'DELETE', erase()),
    ],
  },
  'PUT /api/records/{kind}/{id}': {
    anon: (w) => ({
      method: 'PUT',
      path: `/api/records/recipe/${w.recipeId}`,
      body: write(recipeOf(w.imageId, 'anon-op')),
    }),
    bob: (w) => [
      // Her files cannot be claimed by pointing at them.
      {
        method: 'PUT',
        path: `/api/records/image/${w.imageId}`,
        body: write(imageOf('bob.jpg', { original: w.original, thumbnail: w.thumbnail })),
        status: 409,
      },
      // Her ids name Bob's own records: he gets a record of his own, no word of hers.
      ...[
        ['image', w.imageId, imageOf('bob.jpg', {})],
        ['result', w.resultId, resultOf(w.imageId, 'bob-label')],
        ['recipe', w.recipeId, recipeOf(w.imageId, 'bob-op')],
      ].map(([kind, id, data]): Attempt => ({
        method: 'PUT',
        path: `/api/records/${String(kind)}/${String(id)}`,
        body: { ...write(data), baseSeq: 1 },
        status: 200,
        check: (body) => {
          expect(body).toMatchObject({ status: 'applied' })
          expect(body).not.toHaveProperty('overwrote')
        },
      })),
      {
        method: 'GET',
        path: `/api/records/recipe/${w.recipeId}`,
        status: 200,
        allow: [w.imageId], // Bob's own recipe names the image id he wrote into it.
        check: (body) =>
          expect(body).toMatchObject({ deviceId: bobDevice, data: recipeOf(w.imageId, 'bob-op') }),
      },
      {
        method: 'DELETE',
        path: `/api/records/result/${w.resultId}`,
        body: erase(),
        status: 200,
      },
    ],
  },
  'POST /api/sync/push': {
    anon: (w) => ({
      method: 'POST',
      path: '/api/sync/push',
      body: {
        deviceId: bobDevice,
        changes: [
          { kind: 'recipe', id: w.recipeId, changeId: randomUUID(), baseSeq: null, deleted: true },
        ],
      },
    }),
    bob: (w) => [
      {
        method: 'POST',
        path: '/api/sync/push',
        body: {
          deviceId: bobDevice,
          changes: [
            {
              kind: 'recipe',
              id: w.recipeId,
              changeId: randomUUID(),
              baseSeq: null,
              deleted: false,
              data: recipeOf(w.imageId, 'bob-op-2'),
            },
            { kind: 'image', id: w.imageId, changeId: randomUUID(), baseSeq: 1, deleted: true },
            {
              kind: 'image',
              id: randomUUID(),
              changeId: randomUUID(),
              baseSeq: null,
              deleted: false,
              data: imageOf('bob-2.jpg', { original: w.original }),
            },
          ],
        },
        status: 200,
        check: (body) => {
          const { outcomes } = body as { outcomes: Record<string, unknown>[] }
          expect(outcomes.map((outcome) => outcome.status)).toEqual([
            'applied',
            'applied',
            'rejected',
          ])
          for (const outcome of outcomes) expect(outcome).not.toHaveProperty('overwrote')
        },
      },
    ],
  },
  'GET /api/blobs/{sha256}': {
    anon: (w) => ({ method: 'GET', path: `/api/blobs/${w.original}` }),
    bob: (w) => [
      notFound(`/api/blobs/${w.original}`),
      notFound(`/api/blobs/${w.thumbnail}`),
      notFound(`/api/blobs/${w.pending}`),
      // Knowing the ETag does not help: no 304 that would confirm the file exists.
      {
        method: 'GET',
        path: `/api/blobs/${w.original}`,
        headers: { 'if-none-match': `"${w.original}"` },
        status: 404,
      },
    ],
  },
  'POST /api/blobs/uploads': {
    anon: (w) => ({
      method: 'POST',
      path: '/api/blobs/uploads',
      body: { sha256: w.original, bytes: w.originalBytes.length },
    }),
    bob: (w) => [
      // Naming her file does not make it his: he must send the bytes like anyone else.
      ...[w.original, w.pending].map((sha): Attempt => ({
        method: 'POST',
        path: '/api/blobs/uploads',
        body: { sha256: sha, bytes: w.originalBytes.length },
        status: 201,
        check: (body) => {
          const started = body as { status: string; upload: { id: string; received: number } }
          expect(started.status).toBe('started')
          expect(started.upload.id).not.toBe(w.uploadId)
          expect(started.upload.received).toBe(0)
        },
      })),
    ],
  },
  'GET /api/blobs/uploads/{id}': {
    anon: (w) => ({ method: 'GET', path: `/api/blobs/uploads/${w.uploadId}` }),
    bob: (w) => [notFound(`/api/blobs/uploads/${w.uploadId}`)],
  },
  'PUT /api/blobs/uploads/{id}': {
    anon: (w) => ({
      method: 'PUT',
      path: `/api/blobs/uploads/${w.uploadId}?offset=50`,
      body: new Uint8Array(50),
    }),
    bob: (w) => [
      notFound(`/api/blobs/uploads/${w.uploadId}?offset=50`, 'PUT', new Uint8Array(50)),
      notFound(`/api/blobs/uploads/${w.uploadId}?offset=0`, 'PUT', new Uint8Array(200)),
    ],
  },
  'POST /api/blobs/uploads/{id}/complete': {
    anon: (w) => ({ method: 'POST', path: `/api/blobs/uploads/${w.uploadId}/complete` }),
    bob: (w) => [notFound(`/api/blobs/uploads/${w.uploadId}/complete`, 'POST')],
  },
  'DELETE /api/blobs/uploads/{id}': {
    anon: (w) => ({ method: 'DELETE', path: `/api/blobs/uploads/${w.uploadId}` }),
    bob: (w) => [notFound(`/api/blobs/uploads/${w.uploadId}`, 'DELETE')],
  },
}

let gateway: TestGateway
let world: World
/** Requests made through `recorded` clients, as `METHOD /path` (no query). */
let made: string[]

/** A client like `gateway.client()` that notes every request it makes. */
function recorded(): TestClient {
  return new TestClient((input, init) => {
    made.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`)
    return gateway.app.request(input, init)
  })
}

async function upload(client: TestClient, bytes: Uint8Array, send = bytes.length) {
  const sha = sha256(bytes)
  const started = await client.post('/api/blobs/uploads', { sha256: sha, bytes: bytes.length })
  expect(started.status).toBe(201)
  const { upload } = (await started.json()) as { upload: { id: string } }
  const chunk = await client.put(`/api/blobs/uploads/${upload.id}?offset=0`, bytes.slice(0, send))
  expect(chunk.status).toBe(200)
  if (send === bytes.length) {
    expect((await client.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)
  }
  return { sha, uploadId: upload.id }
}

async function ok(response: Response | Promise<Response>, status = 200) {
  const answered = await response
  expect(answered.status, await answered.clone().text()).toBe(status)
  return answered.json() as Promise<unknown>
}

/** What Alice sees of her own data, to compare before and after Bob's attempts. */
async function aliceView(w: World) {
  return {
    image: await ok(w.alice.get(`/api/records/image/${w.imageId}`)),
    result: await ok(w.alice.get(`/api/records/result/${w.resultId}`)),
    recipe: await ok(w.alice.get(`/api/records/recipe/${w.recipeId}`)),
    pull: await ok(w.alice.get('/api/sync/pull?since=0')),
    upload: await ok(w.alice.get(`/api/blobs/uploads/${w.uploadId}`)),
    account: await ok(w.alice.get('/api/account')),
    session: await ok(w.alice.get('/api/auth/session')),
  }
}

beforeEach(async () => {
  made = []
  gateway = await createTestGateway()
  const admin = recorded()
  await admin.signUp('admin@example.com')
  const alice = recorded()
  const aliceUser = await alice.signUp('alice@example.com', alicePassword)
  const bob = recorded()
  const bobUser = await bob.signUp('bob@example.com', bobPassword)
  expect([aliceUser.role, bobUser.role]).toEqual(['user', 'user'])

  const originalBytes = bytesOf('alice original photo bytes '.repeat(20))
  const { sha: original } = await upload(alice, originalBytes)
  const { sha: thumbnail } = await upload(alice, bytesOf('alice thumbnail bytes'))
  const { sha: pending, uploadId } = await upload(alice, bytesOf('p'.repeat(200)), 50)

  const imageId = randomUUID()
  const resultId = `${imageId}:object-detection`
  const recipeId = randomUUID()
  const name = 'alice-private-holiday-2024.jpg'
  const push = await ok(
    alice.post('/api/sync/push', {
      deviceId: aliceDevice,
      changes: [
        {
          kind: 'image',
          id: imageId,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: imageOf(
            name,
            { original, thumbnail },
            { tags: ['alice-secret-tag'], exif: { Artist: 'Alice Liddell' } },
          ),
        },
        {
          kind: 'result',
          id: resultId,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: resultOf(imageId, 'alice-secret-label'),
        },
        {
          kind: 'recipe',
          id: recipeId,
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: recipeOf(imageId, 'alice-secret-op'),
        },
      ],
    }),
  )
  expect((push as { outcomes: { status: string }[] }).outcomes.map((o) => o.status)).toEqual([
    'applied',
    'applied',
    'applied',
  ])

  world = {
    alice,
    bob,
    admin,
    aliceId: aliceUser.id,
    bobId: bobUser.id,
    imageId,
    resultId,
    recipeId,
    uploadId,
    original,
    thumbnail,
    pending,
    originalBytes,
    secrets: {
      email: 'alice@example.com',
      'user id': aliceUser.id,
      password: alicePassword,
      'image id': imageId,
      'recipe id': recipeId,
      'upload id': uploadId,
      'original sha256': original,
      'thumbnail sha256': thumbnail,
      'pending sha256': pending,
      'image name': name,
      tag: 'alice-secret-tag',
      exif: 'Alice Liddell',
      'result label': 'alice-secret-label',
      'recipe operation': 'alice-secret-op',
      device: aliceDevice,
    },
  }
})
afterEach(() => gateway.close())

async function openApiRoutes(): Promise<string[]> {
  const doc = (await ok(gateway.client().get('/api/openapi.json'))) as {
    paths: Record<string, Record<string, unknown>>
  }
  return Object.entries(doc.paths).flatMap(([route, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
  )
}

/** The OpenAPI route a request went to (the one with the fewest parameters that fits). */
function routeOf(request: string, routes: string[]): string | undefined {
  const [method, pathname] = request.split(' ') as [string, string]
  const fits = routes.filter((route) => {
    const [routeMethod, template] = route.split(' ') as [string, string]
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    return routeMethod === method && pattern.test(pathname)
  })
  return fits.sort((a, b) => a.split('{').length - b.split('{').length)[0]
}

/** Sends `call` as `client` and checks that no secret of Alice's it did not send comes back. */
async function send(client: TestClient, call: Call, where: string) {
  const response = await client.request(call.method, call.path, call.body, call.headers)
  const text = await response.text()
  const sent = [
    call.path,
    call.body instanceof Uint8Array ? '' : JSON.stringify(call.body ?? ''),
    ...(call.allow ?? []),
  ].join('\n')
  const shown = [text, ...[...response.headers].map(([name, value]) => `${name}: ${value}`)].join(
    '\n',
  )
  for (const [label, secret] of Object.entries(world.secrets)) {
    if (sent.includes(secret)) continue
    expect(shown.includes(secret), `${where} shows Alice's ${label}: ${shown}`).toBe(false)
  }
  return { response, text }
}

describe('authorization', () => {
  it('covers every route of the OpenAPI document, in the matrix or as public', async () => {
    const routes = await openApiRoutes()
    const uncovered = routes.filter((route) => !publicRoutes.has(route) && !(route in matrix))
    expect(uncovered, 'routes without an authorization entry').toEqual([])
    const stale = Object.keys(matrix).filter((route) => !routes.includes(route))
    expect(stale, 'matrix entries for routes that do not exist').toEqual([])
    for (const route of publicRoutes) {
      // The document and the page that shows it are not part of the API they describe.
      if (route === 'GET /api/docs' || route === 'GET /api/openapi.json') continue
      expect(routes, route).toContain(route)
    }
  })

  it('answers 401 to a signed-out client on every non-public route', async () => {
    const routes = await openApiRoutes()
    const forged = recorded()
    forged.cookie = `sightline_session=${'A'.repeat(43)}`
    const signedOut = recorded()
    await signedOut.post('/api/auth/sign-in', {
      email: 'alice@example.com',
      password: alicePassword,
    })
    const oldCookie = signedOut.cookie
    await signedOut.post('/api/auth/sign-out')
    signedOut.cookie = oldCookie

    for (const [client, who] of [
      [recorded(), 'no cookie'],
      [forged, 'a forged cookie'],
      [signedOut, 'a signed-out cookie'],
    ] as const) {
      for (const [route, entry] of Object.entries(matrix)) {
        const call = entry.anon(world)
        made = []
        const { response, text } = await send(client, call, `${route} with ${who}`)
        expect(made.map((request) => routeOf(request, routes))).toEqual([route])
        expect(response.status, `${route} with ${who}: ${text}`).toBe(401)
        expect(response.headers.get('content-type')).toBe('application/problem+json')
        expect((JSON.parse(text) as { type: string }).type).toBe('/api/problems/unauthenticated')
      }
    }
  })

  it('refuses Bob every route with Alice’s ids and shows him none of her data', async () => {
    const routes = await openApiRoutes()
    const before = await aliceView(world)

    for (const [route, entry] of Object.entries(matrix)) {
      made = []
      const attempts = entry.bob(world)
      for (const attempt of attempts) {
        const where = `Bob ${attempt.method} ${attempt.path}`
        const { response, text } = await send(world.bob, attempt, where)
        expect(response.status, `${where}: ${text}`).toBe(attempt.status)
        if (attempt.status >= 400) {
          expect(response.headers.get('content-type'), where).toBe('application/problem+json')
        }
        await attempt.check?.(text ? JSON.parse(text) : undefined, world)
      }
      // Every entry goes to its own route at least once (it may look around elsewhere too).
      expect(made.map((request) => routeOf(request, routes))).toContain(route)
    }

    // Bob's uploads naming her files never became his.
    for (const sha of [world.original, world.pending]) {
      expect((await world.bob.get(`/api/blobs/${sha}`)).status).toBe(404)
    }
    // What Bob has is his own records under the same ids, and nothing of hers.
    const { text } = await send(
      world.bob,
      { method: 'GET', path: '/api/sync/pull?since=0', allow: [world.imageId, world.recipeId] },
      'Bob pull after',
    )
    const bobsPull = JSON.parse(text) as { changes: { deviceId: string; data: unknown }[] }
    expect(bobsPull.changes.length).toBeGreaterThan(0)
    for (const record of bobsPull.changes) expect(record.deviceId).toBe(bobDevice)

    // Alice's data is exactly as it was.
    expect(await aliceView(world)).toEqual(before)
    for (const [sha, bytes] of [[world.original, world.originalBytes]] as const) {
      const download = await world.alice.get(`/api/blobs/${sha}`)
      expect(download.status).toBe(200)
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes)
    }
    const signIn = await gateway
      .client()
      .post('/api/auth/sign-in', { email: 'alice@example.com', password: alicePassword })
    expect(signIn.status).toBe(200)
    const users = (await ok(world.admin.get('/api/admin/users'))) as {
      users: { email: string; role: string; disabled: boolean }[]
    }
    expect(users.users.map((user) => [user.email, user.role, user.disabled])).toEqual([
      ['admin@example.com', 'admin', false],
      ['alice@example.com', 'user', false],
      ['bob@example.com', 'user', false],
    ])
  })

  it('lets the admin manage accounts but not read anyone’s records or files', async () => {
    const { admin } = world
    for (const path of [
      `/api/records/image/${world.imageId}`,
      `/api/blobs/${world.original}`,
      `/api/blobs/uploads/${world.uploadId}`,
    ]) {
      expect((await admin.get(path)).status, path).toBe(404)
    }
    const pulled = (await ok(admin.get('/api/sync/pull'))) as { changes: unknown[] }
    expect(pulled.changes).toEqual([])
    const list = (await ok(admin.get('/api/admin/users'))) as {
      users: Record<string, unknown>[]
    }
    for (const user of list.users) {
      expect(Object.keys(user).sort()).toEqual(
        ['createdAt', 'disabled', 'email', 'id', 'records', 'role', 'storageBytes'].sort(),
      )
    }
    expect(JSON.stringify(list)).not.toContain('alice-private-holiday')
    expect(JSON.stringify(list)).not.toContain('argon2')
  })
})
