import { createHash } from 'node:crypto'
import { createTestGateway, type TestGateway } from '../_testing/gateway'
import { createStore } from '../db'
import { gatewayBoundsMs } from './histogram'

let gateway: TestGateway
beforeEach(async () => {
  gateway = await createTestGateway()
})
afterEach(() => gateway.close())

const minute = 60_000
const sum = (buckets: number[]) => buckets.reduce((total, n) => total + n, 0)

describe('sampler', () => {
  it('writes requests, 5xx, latency, sync volume and sync failures per minute', async () => {
    const store = createStore(gateway.db)
    const t0 = Date.now() - (Date.now() % minute)
    const ada = gateway.client()
    await ada.signUp('ada@example.com')
    // A file whose bytes do not match its SHA-256: 1000 bytes in, then 422 on completion.
    const bytes = new Uint8Array(1000).fill(1)
    const wrongSha = createHash('sha256').update('something else').digest('hex')
    const started = await ada.post('/api/blobs/uploads', { sha256: wrongSha, bytes: 1000 })
    expect(started.status).toBe(201)
    const { upload } = (await started.json()) as { upload: { id: string } }
    expect((await ada.put(`/api/blobs/uploads/${upload.id}?offset=0`, bytes)).status).toBe(200)
    expect((await ada.post(`/api/blobs/uploads/${upload.id}/complete`)).status).toBe(422)
    // 400 (not a valid push) and 413 (a file over the size limit) are failures too …
    expect((await ada.post('/api/sync/push', { changes: 'none' })).status).toBe(400)
    const huge = { sha256: 'a'.repeat(64), bytes: 2 ** 40 }
    expect((await ada.post('/api/blobs/uploads', huge)).status).toBe(413)
    // … 404 and 401 are not.
    expect((await ada.get(`/api/blobs/${'b'.repeat(64)}`)).status).toBe(404)
    expect((await gateway.client().get('/api/sync/pull')).status).toBe(401)
    const pull = await ada.get('/api/sync/pull')
    expect(pull.status).toBe(200)
    await pull.text()

    const first = await gateway.app.sampler.flush(t0 + 1234)
    expect(first).toMatchObject({
      minute: t0,
      requests: 9,
      serverErrors: 0,
      syncInBytes: 1000,
      syncFailures: 3,
    })
    expect(first?.syncOutBytes).toBeGreaterThan(0)
    expect(first?.latencyBuckets).toHaveLength(gatewayBoundsMs.length + 1)
    expect(sum(first?.latencyBuckets ?? [])).toBe(9)
    // Nothing new: no row to add.
    expect(await gateway.app.sampler.flush(t0 + 2000)).toBeUndefined()

    // A real 500: the records table is gone from under the running gateway.
    await gateway.db.execute('ALTER TABLE records RENAME TO records_elsewhere')
    expect((await ada.get('/api/sync/pull')).status).toBe(500)
    await gateway.app.sampler.flush(t0 + minute + 5)
    expect((await ada.get('/api/health')).status).toBe(200)
    // A second flush in the same minute adds to its row.
    await gateway.app.sampler.flush(t0 + minute + 30_000)

    expect(await store.monitoring.gatewayWindow(t0 + minute, t0 + 2 * minute)).toMatchObject({
      requests: 2,
      serverErrors: 1,
      syncInBytes: 0,
      syncOutBytes: 0,
      syncFailures: 1,
    })
    const all = await store.monitoring.gatewayWindow(t0, t0 + 2 * minute)
    expect(all).toMatchObject({ requests: 11, serverErrors: 1, syncInBytes: 1000, syncFailures: 4 })
    expect(sum(all.latencyBuckets)).toBe(11)
  })

  it('is pruned by housekeeping after 30 days', async () => {
    const store = createStore(gateway.db)
    const now = Date.now()
    const row = (at: number) => ({
      minute: at - (at % minute),
      requests: 1,
      serverErrors: 0,
      latencyBuckets: [1],
      syncInBytes: 0,
      syncOutBytes: 0,
      syncFailures: 0,
    })
    const old = now - 31 * 24 * 60 * minute
    await store.monitoring.addGatewayMinute(row(old))
    await store.monitoring.addGatewayMinute(row(now - 29 * 24 * 60 * minute))
    const series = { task: 'ocr', model: 'm', provider: 'wasm', failures: 0, sumMs: 1 }
    await store.monitoring.addInference(old - (old % minute), [
      { ...series, count: 1, buckets: [1] },
    ])
    await gateway.app.housekeeping.sweep()
    expect((await store.monitoring.gatewayWindow(0, now)).requests).toBe(1)
    expect(await store.monitoring.inferenceWindow(0, now)).toEqual([])
  })
})
