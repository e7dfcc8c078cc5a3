import { createHash, randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import { serve } from '@hono/node-server'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import pino from 'pino'
import { createTestGateway, type TestGateway } from '../_testing/gateway'
import { createApp } from '../app'
import { createDiskStore } from '../blobs/disk'
import { createStaging } from '../blobs/staging'
import { createStore } from '../db'

type Families = ReturnType<typeof parsePrometheusTextFormat>

const family = (families: Families, name: string) => {
  const found = families.find((f) => f.name === name)
  if (!found) throw new Error(`No ${name} in /metrics`)
  return found
}
const sample = (families: Families, name: string, labels: Record<string, string>) =>
  family(families, name).metrics.find((m) =>
    Object.entries(labels).every(([key, value]) => m.labels?.[key] === value),
  )

let gateway: TestGateway
beforeEach(async () => {
  gateway = await createTestGateway()
})
afterEach(() => gateway.close())

async function scrape(): Promise<{ families: Families; text: string }> {
  const response = await gateway.app.request('/metrics')
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/plain')
  const text = await response.text()
  return { families: parsePrometheusTextFormat(text), text }
}

describe('/metrics', () => {
  it('counts requests by route pattern, errors by type, database calls and sync volume', async () => {
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    const ids = [randomUUID(), randomUUID()]
    const push = await ada.post('/api/sync/push', {
      deviceId: 'device-aaaa',
      changes: ids.map((id) => ({
        kind: 'recipe',
        id,
        changeId: randomUUID(),
        baseSeq: null,
        deleted: false,
        data: {
          imageId: id,
          operations: [],
          revision: 1,
          savedAt: 1,
          width: 1,
          height: 1,
          mime: 'image/png',
          files: {},
        },
      })),
    })
    expect(push.status).toBe(200)
    expect((await ada.get('/api/sync/pull')).status).toBe(200)
    for (const id of ids) expect((await ada.get(`/api/records/recipe/${id}`)).status).toBe(200)
    expect((await ada.get(`/api/records/recipe/${randomUUID()}`)).status).toBe(404)
    expect((await ada.post('/api/auth/sign-in', { email: 'nope' })).status).toBe(400)
    const bytes = new Uint8Array(1234).fill(7)
    const sha = createHash('sha256').update(bytes).digest('hex')
    const started = await ada.post('/api/blobs/uploads', { sha256: sha, bytes: bytes.length })
    const { upload } = (await started.json()) as { upload: { id: string } }
    expect((await ada.put(`/api/blobs/uploads/${upload.id}?offset=0`, bytes)).status).toBe(200)

    const { families, text } = await scrape()
    const requests = (labels: Record<string, string>) =>
      Number(sample(families, 'sightline_http_requests_total', labels)?.value ?? 0)
    expect(requests({ method: 'POST', route: '/api/sync/push', status: '200' })).toBe(1)
    // Three reads of different records are one series: the pattern, not the path.
    expect(requests({ method: 'GET', route: '/api/records/:kind/:id', status: '200' })).toBe(2)
    expect(requests({ method: 'GET', route: '/api/records/:kind/:id', status: '404' })).toBe(1)
    const routes = family(families, 'sightline_http_requests_total').metrics.map(
      (m) => m.labels?.route ?? '',
    )
    for (const id of ids) expect(routes.join(' ')).not.toContain(id)

    // parse-prometheus-text-format folds a labelled histogram into one sample, so the per-route
    // count is read from its `_count` line; the parser still checks the whole text's syntax.
    expect(family(families, 'sightline_http_request_duration_seconds').type).toBe('HISTOGRAM')
    expect(text).toMatch(
      /^sightline_http_request_duration_seconds_count\{method="POST",route="\/api\/sync\/push",status="200",ok="true"\} 1$/m,
    )
    expect(text).toMatch(
      /^sightline_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/api\/sync\/push",status="200",ok="true"\} 1$/m,
    )

    expect(
      Number(sample(families, 'sightline_http_errors_total', { type: 'not-found' })?.value),
    ).toBe(1)
    expect(
      Number(
        sample(families, 'sightline_http_errors_total', { type: 'validation', status: '400' })
          ?.value,
      ),
    ).toBe(1)

    expect(text).toMatch(
      /^sightline_db_query_duration_seconds_count\{op="batch",outcome="ok"\} [1-9]\d*$/m,
    )
    expect(
      Number(
        sample(families, 'sightline_sync_changes_total', {
          direction: 'push',
          kind: 'recipe',
          outcome: 'applied',
        })?.value,
      ),
    ).toBe(2)
    expect(
      Number(sample(families, 'sightline_sync_changes_total', { direction: 'pull' })?.value),
    ).toBe(2)
    expect(
      Number(
        sample(families, 'sightline_sync_bytes_total', { direction: 'push', what: 'files' })?.value,
      ),
    ).toBe(1234)
    expect(family(families, 'sightline_process_cpu_user_seconds_total').type).toBe('COUNTER')
  })

  it('asks for the bearer token when one is configured', async () => {
    const locked = await createTestGateway({ SIGHTLINE_METRICS_TOKEN: 'a-long-metrics-token-123' })
    try {
      expect((await locked.app.request('/metrics')).status).toBe(403)
      const wrong = { headers: { authorization: 'Bearer a-long-metrics-token-124' } }
      expect((await locked.app.request('/metrics', wrong)).status).toBe(403)
      const right = { headers: { authorization: 'Bearer a-long-metrics-token-123' } }
      const response = await locked.app.request('/metrics', right)
      expect(response.status).toBe(200)
      expect(await response.text()).toContain('sightline_http_requests_total')
    } finally {
      locked.close()
    }
  })

  it('answers loopback without a token, and refuses a forwarded client behind a trusted proxy', async () => {
    const proxied = await createTestGateway({ SIGHTLINE_TRUST_PROXY: '1' })
    const server = serve({ fetch: proxied.app.fetch, port: 0, hostname: '127.0.0.1' })
    try {
      await new Promise((resolve) => server.once('listening', resolve))
      const { port } = server.address() as { port: number }
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200)
      const forwarded = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      })
      expect(forwarded.status).toBe(403)
    } finally {
      server.close()
      proxied.close()
    }
  })
})

describe('access log', () => {
  it('writes one JSON line per request with its request id, route, status and time', async () => {
    const lines: Record<string, unknown>[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
        done()
      },
    })
    const app = createApp({
      store: createStore(gateway.db),
      config: gateway.config,
      blobStore: createDiskStore(`${gateway.dir}/blobs`),
      staging: createStaging(`${gateway.dir}/uploads`),
      log: pino({ level: 'info' }, stream),
    })
    const response = await app.request(`/api/records/recipe/${randomUUID()}`)
    expect(response.status).toBe(401)
    const line = lines.find((entry) => entry.msg === 'request')
    expect(line).toMatchObject({
      requestId: response.headers.get('x-request-id'),
      method: 'GET',
      route: '/api/records/*',
      status: 401,
    })
    expect(typeof line?.ms).toBe('number')
  })

  it('fails readiness when the disk has less free space than configured', async () => {
    const full = await createTestGateway({ SIGHTLINE_MIN_FREE_BYTES: String(2 ** 50) })
    try {
      const response = await full.client().get('/api/ready')
      expect(response.status).toBe(503)
      const body = (await response.json()) as { checks: { disk: { ok: boolean } } }
      expect(body.checks.disk.ok).toBe(false)
    } finally {
      full.close()
    }
  })
})
