import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { createTestGateway, TestClient, type TestGateway } from './_testing/gateway'
import { createApp } from './app'
import { createDiskStore } from './blobs/disk'
import { createStaging } from './blobs/staging'
import type { BlobStore } from './blobs/types'
import { createStore, Db, migrate } from './db'
import { loadConfig } from './env'

interface Problem {
  type: string
  title: string
  status: number
  detail: string
  requestId: string
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const problem = (await response.json()) as Problem
  expect(problem.status).toBe(response.status)
  expect(problem.requestId).toBe(response.headers.get('x-request-id'))
  return problem
}

/**
 * The app built by hand around a blob store changed by `wrap`, with its log lines captured: for
 * failures the real stores do not produce on demand.
 */
async function appAround(wrap: (disk: BlobStore) => BlobStore) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sightline-app-'))
  const config = loadConfig({ SIGHTLINE_DATA_DIR: dir })
  const db = await Db.open({ url: config.db.url })
  await migrate(db)
  const lines: string[] = []
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  const app = createApp({
    store: createStore(db),
    config,
    blobStore: wrap(createDiskStore(path.join(dir, 'blobs'))),
    staging: createStaging(path.join(dir, 'uploads')),
    log,
  })
  return {
    app,
    logged: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    client: () => new TestClient((input, init) => app.request(input, init)),
    close() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const allowed = 'https://app.example'
const evil = 'https://evil.example'

let gateway: TestGateway
beforeEach(async () => {
  gateway = await createTestGateway({ SIGHTLINE_CORS_ORIGINS: `${allowed}, https://other.example` })
})
afterEach(() => gateway.close())

describe('createApp errors', () => {
  it('answers an unknown route with a 404 problem whose requestId is the X-Request-Id', async () => {
    const response = await gateway.client().get('/api/no-such-route')
    expect(response.status).toBe(404)
    const problem = await problemOf(response)
    expect(problem).toEqual({
      type: '/api/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /api/no-such-route',
      requestId: expect.stringMatching(/^[\w-]{8,}$/) as string,
    })
    const other = await problemOf(await gateway.client().get('/api/no-such-route'))
    expect(other.requestId).not.toBe(problem.requestId)
  })

  it('keeps a well-formed X-Request-Id the caller sends, and replaces a malformed one', async () => {
    const client = gateway.client()
    const traced = await client.request('GET', '/api/nope', undefined, {
      'x-request-id': 'trace-42',
    })
    expect(traced.headers.get('x-request-id')).toBe('trace-42')
    expect((await problemOf(traced)).requestId).toBe('trace-42')
    const forged = await client.request('GET', '/api/nope', undefined, {
      'x-request-id': 'a b<script>',
    })
    expect(forged.headers.get('x-request-id')).not.toContain('<')
    await problemOf(forged)
  })

  it('answers an unexpected error with a generic 500 and logs it with the request id', async () => {
    const failing = await appAround((disk) => ({
      ...disk,
      get: () => Promise.reject(new Error('disk on fire at /srv/secret/blobs')),
    }))
    try {
      const client = failing.client()
      await client.signUp('ada@example.com')
      const bytes = new TextEncoder().encode('the bytes of a photo')
      const sha = createHash('sha256').update(bytes).digest('hex')
      const started = await client.post('/api/blobs/uploads', { sha256: sha, bytes: bytes.length })
      const { upload } = (await started.json()) as { upload: { id: string } }
      expect((await client.put(`/api/blobs/uploads/${upload.id}?offset=0`, bytes)).status).toBe(200)
      expect((await client.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(201)

      const response = await client.get(`/api/blobs/${sha}`)
      expect(response.status).toBe(500)
      const text = await response.clone().text()
      expect(text).not.toContain('disk on fire')
      expect(text).not.toContain('/srv/secret')
      expect(text).not.toMatch(/at .*\.ts:\d+/)
      const problem = await problemOf(response)
      expect(problem).toMatchObject({
        type: '/api/problems/internal',
        title: 'Internal Server Error',
        detail: 'Something went wrong on the server. The request id helps us find it.',
      })
      const errors = failing.logged().filter((line) => line.level === 50)
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatchObject({
        requestId: problem.requestId,
        path: `/api/blobs/${sha}`,
        err: { type: 'Error', message: 'disk on fire at /srv/secret/blobs' },
      })
      expect((errors[0]?.err as { stack?: string }).stack).toContain('disk on fire')
    } finally {
      failing.close()
    }
  })

  it('answers not ready with 503 when the file store does not answer', async () => {
    const broken = await appAround((disk) => ({
      ...disk,
      check: () => Promise.reject(new TypeError('bucket /srv/secret is gone')),
    }))
    try {
      const response = await broken.client().get('/api/ready')
      expect(response.status).toBe(503)
      const body = (await response.json()) as { status: string; checks: unknown }
      expect(body).toEqual({
        status: 'unavailable',
        checks: {
          database: { ok: true },
          migrations: { ok: true },
          blobStore: { ok: false, detail: 'TypeError' },
          disk: { ok: true, detail: expect.stringMatching(/^\d+ MiB free$/) },
        },
      })
    } finally {
      broken.close()
    }
  })
})

describe('createApp headers', () => {
  const secure = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'strict-transport-security': 'max-age=15552000; includeSubDomains',
    'x-permitted-cross-domain-policies': 'none',
  }

  it('sends secure headers on answers and on errors', async () => {
    const client = gateway.client()
    for (const response of [
      await client.get('/api/health'),
      await client.get('/api/account'),
      await client.get('/api/no-such-route'),
      await client.post('/api/auth/sign-in', { email: 'x' }),
    ]) {
      for (const [name, value] of Object.entries(secure)) {
        expect(response.headers.get(name), `${name} on ${response.status}`).toBe(value)
      }
      expect(response.headers.get('x-powered-by')).toBeNull()
    }
  })

  it('lets an allowed origin call with credentials and read errors', async () => {
    const client = gateway.client()
    const health = await client.request('GET', '/api/health', undefined, { origin: allowed })
    expect(health.headers.get('access-control-allow-origin')).toBe(allowed)
    expect(health.headers.get('access-control-allow-credentials')).toBe('true')
    expect(health.headers.get('vary')).toContain('Origin')
    expect(health.headers.get('access-control-expose-headers')).toContain('X-Request-Id')

    const refused = await client.request('GET', '/api/account', undefined, { origin: allowed })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('access-control-allow-origin')).toBe(allowed)

    const preflight = await client.request('OPTIONS', '/api/records/recipe/x', undefined, {
      origin: allowed,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(allowed)
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
    expect(preflight.headers.get('access-control-allow-methods')?.split(',')).toContain('PUT')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type')

    // The allowed origin passes the CSRF check too (it is a trusted front end).
    const signUp = await client.request(
      'POST',
      '/api/auth/sign-up',
      { email: 'ada@example.com', password: 'correct horse battery' },
      { origin: allowed },
    )
    expect(signUp.status).toBe(201)
  })

  it('gives another origin no CORS permission', async () => {
    const client = gateway.client()
    const health = await client.request('GET', '/api/health', undefined, { origin: evil })
    expect(health.status).toBe(200)
    expect(health.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await client.request('OPTIONS', '/api/account', undefined, {
      origin: evil,
      'access-control-request-method': 'DELETE',
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    // A prefix or suffix of an allowed origin is another origin.
    for (const origin of [`${allowed}.evil.example`, 'https://app.exampl', 'null']) {
      const response = await client.request('GET', '/api/health', undefined, { origin })
      expect(response.headers.get('access-control-allow-origin'), origin).toBeNull()
    }
  })

  it('refuses a cross-origin form POST with 403 (CSRF)', async () => {
    await gateway.client().signUp('ada@example.com')
    const body = JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' })
    for (const [contentType, headers] of [
      ['text/plain', { origin: evil }],
      ['application/x-www-form-urlencoded', { origin: evil }],
      ['multipart/form-data; boundary=x', { origin: evil }],
      ['text/plain;charset=UTF-8', { origin: evil, 'sec-fetch-site': 'cross-site' }],
      ['text/plain', { origin: 'null' }],
    ] as const) {
      const attacker = gateway.client()
      const response = await attacker.request('POST', '/api/auth/sign-in', body, {
        ...headers,
        'content-type': contentType,
      })
      expect(response.status, contentType).toBe(403)
      expect((await problemOf(response)).type).toBe('/api/problems/http')
      expect(response.headers.get('set-cookie')).toBeNull()
    }
  })

  it('refuses a cross-origin form POST that rides on a signed-in cookie', async () => {
    const victim = gateway.client()
    await victim.signUp('ada@example.com')
    const forged = await victim.request(
      'DELETE',
      '/api/account',
      JSON.stringify({ password: 'correct horse battery' }),
      { origin: evil, 'content-type': 'text/plain' },
    )
    expect(forged.status).toBe(403)
    expect((await victim.get('/api/account')).status).toBe(200)
  })
})

describe('createApp docs and health', () => {
  it('serves an OpenAPI 3.1 document listing the routes', async () => {
    const response = await gateway.client().get('/api/openapi.json')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    const doc = (await response.json()) as {
      openapi: string
      info: { title: string }
      paths: Record<string, Record<string, { summary?: string; responses?: object }>>
      components: { schemas: Record<string, unknown> }
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.title).toBe('Sightline gateway')
    const routes = Object.entries(doc.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    )
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'GET /api/ready',
        'POST /api/auth/sign-up',
        'POST /api/auth/sign-in',
        'POST /api/auth/sign-out',
        'GET /api/auth/session',
        'GET /api/account',
        'DELETE /api/account',
        'POST /api/account/password',
        'GET /api/admin/users',
        'PATCH /api/admin/users/{id}',
        'GET /api/records/{kind}/{id}',
        'PUT /api/records/{kind}/{id}',
        'DELETE /api/records/{kind}/{id}',
        'POST /api/sync/push',
        'GET /api/sync/pull',
        'POST /api/blobs/uploads',
        'GET /api/blobs/uploads/{id}',
        'PUT /api/blobs/uploads/{id}',
        'DELETE /api/blobs/uploads/{id}',
        'POST /api/blobs/uploads/{id}/complete',
        'GET /api/blobs/{sha256}',
      ]),
    )
    for (const [route, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(operation.summary, `${method} ${route}`).toBeTruthy()
        expect(Object.keys(operation.responses ?? {}).length, `${method} ${route}`).toBeGreaterThan(
          0,
        )
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Problem', 'User', 'Change', 'Record']),
    )
  })

  it('serves the API docs page with its assets from the gateway itself', async () => {
    const client = gateway.client()
    const page = await client.get('/api/docs')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).not.toMatch(/cdn|unpkg|jsdelivr|https?:\/\//i)
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '')
    expect(urls).toEqual([
      '/api/docs/swagger-ui.css',
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/init.js',
    ])
    for (const url of urls) {
      const asset = await client.get(url)
      expect(asset.status, url).toBe(200)
      expect(asset.headers.get('content-type'), url).toMatch(/^text\/(css|javascript)/)
      expect((await asset.text()).length, url).toBeGreaterThan(0)
    }
    const init = await (await client.get('/api/docs/init.js')).text()
    expect(init).toContain("url: '/api/openapi.json'")
    const bundle = await (await client.get('/api/docs/swagger-ui-bundle.js')).text()
    expect(bundle).toContain('SwaggerUIBundle')
    expect((await client.get('/api/docs/package.json')).status).toBe(404)
    expect((await client.get('/api/docs/..%2Fpackage.json')).status).toBe(404)
  })

  it('answers health and readiness with every check ok', async () => {
    const client = gateway.client()
    const health = await client.get('/api/health')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await client.get('/api/ready')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: {
        database: { ok: true },
        migrations: { ok: true },
        blobStore: { ok: true },
        disk: { ok: true, detail: expect.stringMatching(/^\d+ MiB free$/) },
      },
    })
  })
})
