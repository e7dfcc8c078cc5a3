import { gzipSync } from 'node:zlib'
import { serve } from '@hono/node-server'
import * as Sentry from '@sentry/node'
import { createTestGateway, type TestGateway } from '../_testing/gateway'
import { createStore } from '../db'

let gateway: TestGateway
afterEach(() => gateway?.close())

const event = (id: string, type: string, line: number, extra: Record<string, unknown> = {}) => ({
  event_id: id,
  level: 'error',
  release: 'sightline@0.1.0',
  exception: {
    values: [
      {
        type,
        value: 'boom',
        stacktrace: {
          frames: [
            {
              filename: 'http://localhost/_next/static/chunks/main.js?v=1',
              function: 'run',
              lineno: line,
              in_app: true,
            },
            {
              filename: 'http://localhost/_next/static/chunks/app.js',
              function: 'analyse',
              lineno: line + 7,
              in_app: true,
            },
          ],
        },
      },
    ],
  },
  ...extra,
})

/** An envelope as the browser SDK sends it through the tunnel: text, the DSN in the header. */
const envelope = (body: object, dsn = 'http://sightline@localhost/1') =>
  `${JSON.stringify({ event_id: (body as { event_id: string }).event_id, dsn })}\n{"type":"event"}\n${JSON.stringify(body)}\n`

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  gateway.app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://localhost', ...headers },
  })

describe('telemetry ingest', () => {
  beforeEach(async () => {
    gateway = await createTestGateway({ SIGHTLINE_TELEMETRY_PER_MINUTE: '20' })
  })

  it('stores tunnelled events and groups them by type and in-app frames, not line numbers', async () => {
    const a = await post(
      '/api/telemetry/envelope',
      envelope(event('a'.repeat(32), 'TypeError', 10)),
    )
    expect(a.status).toBe(200)
    await post(
      '/api/telemetry/envelope',
      envelope(event('b'.repeat(32), 'TypeError', 99, { user: { id: 'u1' } })),
    )
    await post('/api/telemetry/envelope', envelope(event('c'.repeat(32), 'RangeError', 10)))
    // The same event again (an SDK retry) is not counted twice.
    await post('/api/telemetry/envelope', envelope(event('c'.repeat(32), 'RangeError', 10)))
    const issues = await storedIssues()
    expect(issues.map((issue) => [issue.type, issue.count])).toEqual(
      expect.arrayContaining([
        ['TypeError', 2],
        ['RangeError', 1],
      ]),
    )
    const typeError = issues.find((issue) => issue.type === 'TypeError')
    expect(typeError).toMatchObject({
      title: 'TypeError: boom',
      users: 1,
      releases: ['sightline@0.1.0'],
    })
    expect(typeError?.culprit).toBe('/_next/static/chunks/app.js:analyse')

    // The admin reads them through the API, with each event's stack trace.
    const admin = gateway.client()
    await admin.signUp('admin@example.com')
    const listed = (await (await admin.get('/api/admin/telemetry/issues')).json()) as {
      issues: { id: number; type: string; count: number }[]
    }
    expect(listed.issues.map((issue) => issue.type).sort()).toEqual(['RangeError', 'TypeError'])
    const id = listed.issues.find((issue) => issue.type === 'TypeError')?.id
    const detail = (await (await admin.get(`/api/admin/telemetry/issues/${id}/events`)).json()) as {
      events: { payload: { exception: { values: { stacktrace: { frames: unknown[] } }[] } } }[]
    }
    expect(detail.events).toHaveLength(2)
    expect(detail.events[0]?.payload.exception.values[0]?.stacktrace.frames).toHaveLength(2)
    const user = gateway.client()
    await user.signUp('user@example.com')
    expect((await user.get('/api/admin/telemetry/issues')).status).toBe(403)
  })

  it('refuses malformed envelopes, unknown keys, oversized bodies and gzip bombs, and keeps serving', async () => {
    expect((await post('/api/telemetry/envelope', 'not an envelope')).status).toBe(400)
    expect(
      (await post('/api/telemetry/envelope', '{}\n{"type":"event","length":500}\n{}')).status,
    ).toBe(400)
    const wrongKey = await post(
      '/api/telemetry/envelope',
      envelope(event('d'.repeat(32), 'TypeError', 1), 'http://stranger@localhost/1'),
    )
    expect(wrongKey.status).toBe(403)
    const huge = await post('/api/telemetry/envelope', 'x'.repeat(2 * 1024 * 1024))
    expect(huge.status).toBe(413)
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const bombed = await post('/api/telemetry/envelope', bomb, {
      'content-encoding': 'gzip',
      'content-type': 'application/x-sentry-envelope',
    })
    expect(bombed.status).toBe(413)
    expect(((await bombed.json()) as { detail: string }).detail).toMatch(/inflates past/)
    expect(await storedIssues()).toEqual([])
    expect((await gateway.app.request('/api/health')).status).toBe(200)
  })

  it('answers 429 with Retry-After past the per-key limit', async () => {
    const statuses: number[] = []
    let limited: Response | undefined
    for (let i = 0; i < 22; i++) {
      const response = await post(
        '/api/telemetry/envelope',
        envelope(event(String(i).padStart(32, '0'), 'TypeError', i)),
      )
      statuses.push(response.status)
      if (response.status === 429) limited = response
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20)
    expect(statuses.slice(20)).toEqual([429, 429])
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(limited?.headers.get('x-sentry-rate-limits')).toMatch(/^\d+::key$/)
  })
})

describe('telemetry from the real @sentry/node', () => {
  it('stores a gzipped envelope sent to a DSN pointing at the gateway', async () => {
    gateway = await createTestGateway()
    const server = serve({ fetch: gateway.app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    const { port } = server.address() as { port: number }
    try {
      Sentry.init({
        dsn: `http://sightline@127.0.0.1:${port}/1`,
        release: 'sightline-test@1',
        environment: 'test',
        defaultIntegrations: false,
        sendClientReports: false,
      })
      // Over 32 KiB, so the SDK gzips the envelope.
      Sentry.setExtra('padding', 'x'.repeat(40 * 1024))
      const thrower = () => {
        throw new TypeError('from the node sdk')
      }
      for (let i = 0; i < 2; i++) {
        try {
          thrower()
        } catch (error) {
          Sentry.captureException(error)
        }
      }
      expect(await Sentry.flush(5000)).toBe(true)
      const issues = await storedIssues()
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatchObject({
        type: 'TypeError',
        title: 'TypeError: from the node sdk',
        count: 2,
        releases: ['sightline-test@1'],
      })
      const [stored] = await createStore(gateway.db).telemetry.events(issues[0]!.id, 1)
      expect((stored?.payload as { extra?: { padding?: string } }).extra?.padding).toHaveLength(
        40 * 1024,
      )
    } finally {
      await Sentry.close(2000)
      server.close()
    }
  })
})

function storedIssues() {
  return createStore(gateway.db).telemetry.issues()
}
