import { createTestGateway, type TestClient, type TestGateway } from '../_testing/gateway'
import { createStore } from '../db'
import type { MonitoringSeries } from '../db/monitoring'

let gateway: TestGateway
let admin: TestClient
beforeEach(async () => {
  gateway = await createTestGateway()
  admin = gateway.client()
  await admin.signUp('admin@example.com') // the first account is the admin
})
afterEach(() => gateway.close())

const minute = 60_000
const hour = 60 * minute

async function series(hours: number): Promise<MonitoringSeries> {
  const response = await admin.get(`/api/admin/monitoring/series?hours=${hours}`)
  expect(response.status).toBe(200)
  return (await response.json()) as MonitoringSeries
}

describe('GET /api/admin/monitoring/series', () => {
  it('is for admins only', async () => {
    expect((await gateway.client().get('/api/admin/monitoring/series?hours=1')).status).toBe(401)
    const bob = gateway.client()
    await bob.signUp('bob@example.com')
    expect((await bob.get('/api/admin/monitoring/series?hours=1')).status).toBe(403)
    expect((await admin.get('/api/admin/monitoring/series?hours=2')).status).toBe(400)
  })

  it('answers the range in steps that fit it, with points only where there is data', async () => {
    const store = createStore(gateway.db)
    const now = Date.now()
    const at = (ago: number) => now - ago - ((now - ago) % minute)
    const gatewayMinute = (ago: number, requests: number) =>
      store.monitoring.addGatewayMinute({
        minute: at(ago),
        requests,
        serverErrors: 1,
        latencyBuckets: [0, requests],
        syncInBytes: 10,
        syncOutBytes: 20,
        syncFailures: 0,
      })
    await gatewayMinute(10 * minute, 4)
    await gatewayMinute(11 * minute, 2)
    await gatewayMinute(3 * hour, 8)
    await gatewayMinute(30 * hour, 16)
    await store.monitoring.addInference(at(10 * minute), [
      {
        task: 'ocr',
        model: 'ppocr-4.0',
        provider: 'wasm',
        count: 2,
        failures: 0,
        sumMs: 60,
        buckets: [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      },
    ])

    const lastHour = await series(1)
    expect(lastHour.stepMs).toBe(minute)
    expect(lastHour.to - lastHour.from).toBeGreaterThanOrEqual(hour)
    expect(lastHour.from % minute).toBe(0)
    // This minute's row holds the test's own requests, written by the route's sampler flush.
    const past = (points: MonitoringSeries['gateway'], stepMs: number) =>
      points.filter((p) => p.t < now - (now % stepMs))
    expect(past(lastHour.gateway, minute).map((p) => [p.t, p.requests])).toEqual([
      [at(11 * minute), 2],
      [at(10 * minute), 4],
    ])
    expect(lastHour.gateway[1]).toMatchObject({
      serverErrors: 1,
      clientErrors: 0,
      p50Ms: 7.5,
      syncInBytes: 10,
      syncOutBytes: 20,
      syncFailures: 0,
    })
    expect(lastHour.inference).toEqual([
      {
        t: at(10 * minute),
        task: 'ocr',
        model: 'ppocr-4.0',
        provider: 'wasm',
        count: 2,
        failures: 0,
        p50Ms: 37.5,
        p95Ms: 48.75,
      },
    ])

    const sixHours = await series(6)
    expect(sixHours.stepMs).toBe(5 * minute)
    expect(past(sixHours.gateway, 5 * minute).reduce((sum, p) => sum + p.requests, 0)).toBe(14)
    for (const point of sixHours.gateway) expect(point.t % (5 * minute)).toBe(0)

    expect((await series(24)).stepMs).toBe(15 * minute)
    const week = await series(168)
    expect(week.stepMs).toBe(2 * hour)
    const dayAgo = at(30 * hour)
    expect(week.gateway.find((p) => p.t === dayAgo - (dayAgo % (2 * hour)))?.requests).toBe(16)
  })

  it("includes this minute's requests without waiting for the sampler's timer", async () => {
    for (let i = 0; i < 3; i++) await admin.get('/api/account')
    const now = Date.now()
    const { gateway: points } = await series(1)
    const current = points.at(-1)
    expect(current?.t).toBeGreaterThanOrEqual(now - (now % minute) - minute)
    // Sign-up and the three account reads at least.
    expect(current?.requests).toBeGreaterThanOrEqual(4)
    expect(current?.p95Ms).toBeGreaterThan(0)
  })
})
