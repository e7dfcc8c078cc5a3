import { expose } from 'comlink'
import { createWorkerPool } from './pool'

interface TestApi {
  configure(value: string): Promise<void>
  work(name: string): Promise<string>
}

/** A Worker stand-in: a MessageChannel to a comlink-exposed API whose `work` waits for the test. */
class FakeWorker extends EventTarget {
  readonly configured: string[] = []
  readonly waiting = new Map<string, (value: string) => void>()
  terminated = false
  private readonly port: MessagePort

  constructor() {
    super()
    const { port1, port2 } = new MessageChannel()
    const api: TestApi = {
      configure: async (value) => void this.configured.push(value),
      work: (name) => new Promise((resolve) => this.waiting.set(name, resolve)),
    }
    expose(api, port2)
    port1.addEventListener('message', (event) =>
      this.dispatchEvent(new MessageEvent('message', { data: event.data })),
    )
    port1.start()
    this.port = port1
  }

  postMessage(message: unknown, transfer: Transferable[] = []) {
    this.port.postMessage(message, transfer)
  }

  terminate() {
    this.terminated = true
    this.port.close()
  }
}

function setup(options: { crashGraceMs?: number; workersReportErrors?: boolean } = {}) {
  const workers: FakeWorker[] = []
  const pool = createWorkerPool<TestApi>({
    size: 2,
    perWorker: 1,
    idleTimeoutMs: 60_000,
    label: 'test',
    createWorker: () => {
      const worker = new FakeWorker()
      workers.push(worker)
      return worker as unknown as Worker
    },
    onSpawn: (api) => void api.configure('on spawn'),
    ...options,
  })
  return { pool, workers }
}

const signal = new AbortController().signal

afterEach(() => {
  vi.useRealTimers()
})

describe(createWorkerPool, () => {
  it('configures each new worker before its first call', async () => {
    const { pool, workers } = setup()
    const first = pool.call(signal, (api) => api.work('a'))
    await vi.waitFor(() => expect(workers[0]?.waiting.has('a')).toBe(true))
    expect(workers[0]!.configured).toEqual(['on spawn'])
    workers[0]!.waiting.get('a')!('done')
    await expect(first).resolves.toBe('done')
    pool.dispose()
  })

  it('broadcasts to every live worker', async () => {
    const { pool, workers } = setup()
    // Both still running at dispose, which rejects them.
    void pool.call(signal, (api) => api.work('a')).catch(() => {})
    void pool.call(signal, (api) => api.work('b')).catch(() => {})
    await vi.waitFor(() => expect(workers).toHaveLength(2))
    pool.broadcast((api) => void api.configure('changed'))
    await vi.waitFor(() =>
      expect(workers.map((w) => w.configured)).toEqual([
        ['on spawn', 'changed'],
        ['on spawn', 'changed'],
      ]),
    )
    pool.dispose()
  })

  it('counts calls waiting and running as pending', async () => {
    const { pool, workers } = setup()
    expect(pool.pending).toBe(0)
    const calls = ['a', 'b', 'c'].map((name) => pool.call(signal, (api) => api.work(name)))
    expect(pool.pending).toBe(3)
    await vi.waitFor(() => expect(workers[0]?.waiting.size).toBe(1))
    for (const worker of workers) for (const finish of worker.waiting.values()) finish('x')
    await Promise.race(calls)
    await vi.waitFor(() => expect(pool.pending).toBe(1))
    pool.dispose()
    await Promise.allSettled(calls)
    expect(pool.pending).toBe(0)
  })

  it('keeps a failed worker alive for the grace period, out of the pool', async () => {
    const { pool, workers } = setup({ crashGraceMs: 3_000 })
    const pending = pool.call(signal, (api) => api.work('a'))
    await vi.waitFor(() => expect(workers[0]?.waiting.has('a')).toBe(true))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    workers[0]!.dispatchEvent(new Event('error'))
    await expect(pending).rejects.toThrow('The test worker stopped')
    expect(workers[0]!.terminated).toBe(false)
    vi.advanceTimersByTime(3_000)
    expect(workers[0]!.terminated).toBe(true)
    pool.dispose()
  })

  it('cancels a worker error event only when the workers report their own errors', async () => {
    for (const workersReportErrors of [false, true]) {
      const { pool, workers } = setup({ workersReportErrors })
      void pool.call(signal, (api) => api.work('a')).catch(() => {})
      await vi.waitFor(() => expect(workers).toHaveLength(1))
      const error = new Event('error', { cancelable: true })
      workers[0]!.dispatchEvent(error)
      expect(error.defaultPrevented).toBe(workersReportErrors)
      pool.dispose()
    }
  })
})
