import { expose } from 'comlink'
import { CorruptImageError } from '../models/errors'
import type { ImportApi } from './import.worker'
import { configureImportTelemetry, createImportPool } from './import-client'
import type { Inspected } from './import/types'

interface Call {
  name: string
  resolve(inspected: Inspected): void
  reject(error: unknown): void
}

/**
 * Stands in for a browser Worker: a MessageChannel whose far end is a comlink-exposed stub of the
 * import API. Calls wait until the test settles them.
 */
class FakeWorker extends EventTarget {
  readonly calls: Call[] = []
  /** Telemetry configs received, in order. */
  readonly telemetry: unknown[] = []
  terminated = false
  private readonly port: MessagePort

  constructor() {
    super()
    const { port1, port2 } = new MessageChannel()
    const api: ImportApi = {
      configureTelemetry: async (config) => {
        this.telemetry.push(config)
      },
      // Node clones a File as a plain Blob, so the test sends the name as the content.
      inspect: async (file) => {
        const name = await file.text()
        return new Promise<Inspected>((resolve, reject) =>
          this.calls.push({ name, resolve, reject }),
        )
      },
    }
    expose(api, port2)
    port1.addEventListener('message', (event) => {
      this.dispatchEvent(new MessageEvent('message', { data: event.data }))
    })
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

const file = (name: string) => new File([name], name)

const result = (name: string): Inspected => ({
  hash: name,
  format: 'jpg',
  mime: 'image/jpeg',
  width: 1,
  height: 1,
  orientation: 1,
  exif: {},
  thumbnail: new Blob(),
  thumbnailWidth: 1,
  thumbnailHeight: 1,
})

/** Waits until the fake workers have received `count` calls in all. */
async function callsArrive(workers: FakeWorker[], count: number) {
  await vi.waitFor(() => expect(workers.flatMap((w) => w.calls)).toHaveLength(count))
}

function setup(options: { size?: number; perWorker?: number; idleTimeoutMs?: number } = {}) {
  const workers: FakeWorker[] = []
  const pool = createImportPool({
    size: 2,
    ...options,
    createWorker: () => {
      const worker = new FakeWorker()
      workers.push(worker)
      return worker as unknown as Worker
    },
  })
  return { pool, workers }
}

afterEach(() => {
  vi.useRealTimers()
})

describe(createImportPool, () => {
  it('gives every worker the telemetry config before any file, and its changes', async () => {
    const config = {
      dsn: 'http://sightline@localhost/1',
      tunnel: '/api/telemetry/envelope',
      release: 'sightline@test',
      environment: 'test',
      installId: 'device-1',
    }
    configureImportTelemetry(config)
    try {
      const { pool, workers } = setup()
      const done = pool.inspectFile(new AbortController().signal, file('a.jpg'))
      await callsArrive(workers, 1)
      expect(workers[0]?.telemetry).toEqual([config])
      workers[0]?.calls[0]?.resolve(result('a'))
      await done
      configureImportTelemetry(null)
      await vi.waitFor(() => expect(workers[0]?.telemetry).toEqual([config, null]))
      pool.dispose()
    } finally {
      configureImportTelemetry(null)
    }
  })

  it('inspects a file in a worker and returns its result', async () => {
    const { pool, workers } = setup()
    const pending = pool.inspectFile(new AbortController().signal, file('a.jpg'))
    await callsArrive(workers, 1)
    workers[0]!.calls[0]!.resolve(result('a.jpg'))
    await expect(pending).resolves.toMatchObject({ hash: 'a.jpg' })
    pool.dispose()
  })

  it('passes named refusals through with their name', async () => {
    const { pool, workers } = setup()
    const pending = pool.inspectFile(new AbortController().signal, file('bad.jpg'))
    await callsArrive(workers, 1)
    workers[0]!.calls[0]!.reject(new CorruptImageError('"bad.jpg" is damaged.'))
    await expect(pending).rejects.toMatchObject({
      name: 'CorruptImageError',
      message: '"bad.jpg" is damaged.',
    })
    pool.dispose()
  })

  it('starts a new worker while the others are busy, then sends work to the least busy', async () => {
    const { pool, workers } = setup({ size: 2, perWorker: 2 })
    const signal = new AbortController().signal
    const pending = ['a', 'b', 'c'].map((name) => pool.inspectFile(signal, file(name)))
    await callsArrive(workers, 3)
    expect(workers).toHaveLength(2)
    expect(workers.map((w) => w.calls.map((c) => c.name))).toEqual([['a', 'c'], ['b']])
    for (const call of workers.flatMap((w) => w.calls)) call.resolve(result(call.name))
    await Promise.all(pending)
    pool.dispose()
  })

  it('queues files beyond perWorker per worker until one finishes', async () => {
    const { pool, workers } = setup({ size: 1, perWorker: 1 })
    const signal = new AbortController().signal
    const first = pool.inspectFile(signal, file('a'))
    const second = pool.inspectFile(signal, file('b'))
    await callsArrive(workers, 1)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(workers[0]!.calls).toHaveLength(1)
    workers[0]!.calls[0]!.resolve(result('a'))
    await first
    await callsArrive(workers, 2)
    workers[0]!.calls[1]!.resolve(result('b'))
    await expect(second).resolves.toMatchObject({ hash: 'b' })
    pool.dispose()
  })

  it('rejects at once with the abort reason and keeps the worker', async () => {
    const { pool, workers } = setup()
    const controller = new AbortController()
    const pending = pool.inspectFile(controller.signal, file('a'))
    await callsArrive(workers, 1)
    const reason = new DOMException('User cancelled', 'AbortError')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(workers[0]!.terminated).toBe(false)
    pool.dispose()
  })

  it('never sends a queued file that is aborted', async () => {
    const { pool, workers } = setup({ size: 1, perWorker: 1 })
    const first = pool.inspectFile(new AbortController().signal, file('a'))
    const controller = new AbortController()
    const second = pool.inspectFile(controller.signal, file('b'))
    controller.abort()
    await expect(second).rejects.toMatchObject({ name: 'AbortError' })
    await callsArrive(workers, 1)
    workers[0]!.calls[0]!.resolve(result('a'))
    await first
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(workers[0]!.calls.map((c) => c.name)).toEqual(['a'])
    pool.dispose()
  })

  it('rejects with the reason when the signal is already aborted', async () => {
    const { pool, workers } = setup()
    await expect(pool.inspectFile(AbortSignal.abort('gone'), file('a'))).rejects.toBe('gone')
    expect(workers).toHaveLength(0)
  })

  it('rejects calls on a worker that dies and replaces it for the next file', async () => {
    const { pool, workers } = setup({ size: 1 })
    const signal = new AbortController().signal
    const pending = pool.inspectFile(signal, file('a'))
    await callsArrive(workers, 1)
    workers[0]!.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }))
    await expect(pending).rejects.toThrow('The import worker stopped (out of memory)')
    expect(workers[0]!.terminated).toBe(true)

    const next = pool.inspectFile(signal, file('b'))
    await callsArrive(workers, 2)
    expect(workers).toHaveLength(2)
    workers[1]!.calls[0]!.resolve(result('b'))
    await expect(next).resolves.toMatchObject({ hash: 'b' })
    pool.dispose()
  })

  it('rejects calls whose answer cannot be deserialized', async () => {
    const { pool, workers } = setup()
    const pending = pool.inspectFile(new AbortController().signal, file('a'))
    await callsArrive(workers, 1)
    workers[0]!.dispatchEvent(new Event('messageerror'))
    await expect(pending).rejects.toThrow('(messageerror)')
    pool.dispose()
  })

  it('terminates a worker after the idle timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { pool, workers } = setup({ idleTimeoutMs: 30_000 })
    const pending = pool.inspectFile(new AbortController().signal, file('a'))
    await callsArrive(workers, 1)
    workers[0]!.calls[0]!.resolve(result('a'))
    await pending
    await vi.advanceTimersByTimeAsync(29_000)
    expect(workers[0]!.terminated).toBe(false)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(workers[0]!.terminated).toBe(true)
    pool.dispose()
  })

  it('rejects everything pending on dispose and terminates the workers', async () => {
    const { pool, workers } = setup({ size: 1, perWorker: 1 })
    const signal = new AbortController().signal
    const running = pool.inspectFile(signal, file('a'))
    const queued = pool.inspectFile(signal, file('b'))
    await callsArrive(workers, 1)
    pool.dispose()
    await expect(running).rejects.toMatchObject({ name: 'AbortError' })
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' })
    expect(workers[0]!.terminated).toBe(true)
  })
})
