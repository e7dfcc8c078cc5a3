import { wrap, type Remote } from 'comlink'

export interface WorkerPoolOptions<Api = unknown> {
  /** Most workers alive at once. */
  size: number
  /** Calls one worker runs at once. More wait here, so at most size × perWorker are in flight. */
  perWorker: number
  /** A worker with nothing to do is terminated after this long. */
  idleTimeoutMs: number
  createWorker: () => Worker
  /** Names the worker in error messages, e.g. "import". */
  label: string
  /** Runs for each new worker before it gets any call (comlink keeps the order of messages). */
  onSpawn?: (api: Remote<Api>) => void
  /**
   * A failed worker leaves the pool at once but is terminated only this long after (default 0),
   * so an error report it is sending can leave.
   */
  crashGraceMs?: number
  /**
   * The workers report their own uncaught errors (with their stack). The pool then cancels a
   * worker's `error` event, which the browser would otherwise report again in the page.
   */
  workersReportErrors?: boolean
}

export interface WorkerPool<Api> {
  /**
   * Runs `fn` against the least busy worker. Aborting rejects at once with `signal.reason`; a
   * started call still finishes in its worker (restarting workers costs more than the wasted
   * work) and its result is dropped.
   */
  call<T>(signal: AbortSignal, fn: (api: Remote<Api>) => Promise<T>): Promise<T>
  /** Runs `fn` against every live worker, for settings they all need (nothing waits for it). */
  broadcast(fn: (api: Remote<Api>) => void): void
  /** Calls accepted and not finished yet: waiting for a worker or running in one. */
  readonly pending: number
  /** Terminates every worker; pending calls reject with an AbortError. */
  dispose(): void
}

interface Slot<Api> {
  worker: Worker
  api: Remote<Api>
  running: Set<Job<Api>>
  idleTimer?: ReturnType<typeof setTimeout>
}

interface Job<Api> {
  fn: (api: Remote<Api>) => Promise<unknown>
  settled: boolean
  resolve(value: unknown): void
  reject(reason: unknown): void
  cleanup(): void
}

/** A pool of comlink workers with least-busy dispatch, a bounded queue and idle reaping. */
export function createWorkerPool<Api>(options: WorkerPoolOptions<Api>): WorkerPool<Api> {
  const { size, perWorker, idleTimeoutMs, createWorker, label, onSpawn } = options
  const { crashGraceMs = 0, workersReportErrors = false } = options
  const slots: Slot<Api>[] = []
  const queue: Job<Api>[] = []

  function settle(job: Job<Api>, finish: () => void) {
    if (job.settled) return
    job.settled = true
    job.cleanup()
    finish()
  }

  function spawn(): Slot<Api> {
    const worker = createWorker()
    const slot: Slot<Api> = { worker, api: wrap<Api>(worker), running: new Set() }
    // Comlink never rejects a call whose worker died or whose answer cannot be deserialized.
    const onCrash = (event: Event) => {
      if (workersReportErrors && event.type === 'error') event.preventDefault()
      crash(slot, event)
    }
    worker.addEventListener('error', onCrash)
    worker.addEventListener('messageerror', onCrash)
    slots.push(slot)
    onSpawn?.(slot.api)
    return slot
  }

  function retire(slot: Slot<Api>, graceMs = 0) {
    clearTimeout(slot.idleTimer)
    const at = slots.indexOf(slot)
    if (at >= 0) slots.splice(at, 1)
    if (graceMs > 0) setTimeout(() => slot.worker.terminate(), graceMs)
    else slot.worker.terminate()
  }

  function crash(slot: Slot<Api>, event: Event) {
    if (!slots.includes(slot)) return
    retire(slot, crashGraceMs)
    const detail =
      'message' in event && typeof event.message === 'string' ? event.message : event.type
    const error = new Error(`The ${label} worker stopped (${detail}), so the work was not done.`, {
      cause: event,
    })
    error.name = 'WorkerCrashedError'
    for (const job of slot.running) settle(job, () => job.reject(error))
    pump()
  }

  /** The idlest worker with room, or a new one while the pool is not full. */
  function pick(): Slot<Api> | undefined {
    let idlest: Slot<Api> | undefined
    for (const slot of slots) {
      if (slot.running.size < (idlest?.running.size ?? perWorker)) idlest = slot
    }
    if (idlest?.running.size === 0 || slots.length >= size) return idlest
    return spawn()
  }

  function pump() {
    while (queue.length > 0) {
      const slot = pick()
      const job = slot && queue.shift()
      if (!slot || !job) return
      run(slot, job)
    }
  }

  function run(slot: Slot<Api>, job: Job<Api>) {
    clearTimeout(slot.idleTimer)
    slot.running.add(job)
    void job
      .fn(slot.api)
      .then(
        (value) => settle(job, () => job.resolve(value)),
        (error: unknown) => settle(job, () => job.reject(error)),
      )
      .finally(() => {
        // An aborted job still counts as load until its worker is done with it.
        slot.running.delete(job)
        if (slot.running.size === 0 && slots.includes(slot)) {
          slot.idleTimer = setTimeout(() => retire(slot), idleTimeoutMs)
        }
        pump()
      })
  }

  function call<T>(signal: AbortSignal, fn: (api: Remote<Api>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason)
        return
      }
      const onAbort = () =>
        settle(job, () => {
          const queued = queue.indexOf(job)
          if (queued >= 0) queue.splice(queued, 1)
          reject(signal.reason)
        })
      const job: Job<Api> = {
        fn,
        settled: false,
        resolve: resolve as (value: unknown) => void,
        reject,
        cleanup: () => signal.removeEventListener('abort', onAbort),
      }
      signal.addEventListener('abort', onAbort, { once: true })
      queue.push(job)
      pump()
    })
  }

  function dispose() {
    const error = new DOMException(`The ${label} workers were shut down.`, 'AbortError')
    for (const job of queue.splice(0)) settle(job, () => job.reject(error))
    for (const slot of [...slots]) {
      for (const job of slot.running) settle(job, () => job.reject(error))
      retire(slot)
    }
  }

  return {
    call,
    broadcast: (fn) => slots.forEach((slot) => fn(slot.api)),
    get pending() {
      return queue.length + slots.reduce((sum, slot) => sum + slot.running.size, 0)
    },
    dispose,
  }
}
