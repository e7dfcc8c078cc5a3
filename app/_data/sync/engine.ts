import { liveQuery } from 'dexie'
import type { SightlineDb } from '../db'
import { GatewayError, NetworkError, type GatewayClient } from './gateway'
import { pullChanges } from './pull'
import { pushChanges } from './push'
import { readSyncState } from './state'

export type SyncPhase = 'off' | 'idle' | 'syncing' | 'offline' | 'error'

export interface SyncStatus {
  phase: SyncPhase
  /** What the running sync is doing, in words. */
  activity?: string
  /** Why the last sync failed; it is retried on its own. */
  error?: string
  /** Epoch ms of the next automatic retry after an error. */
  retryAt?: number
}

export interface SyncEngine {
  start(): void
  stop(): void
  /** Syncs now (or right after the sync that is running). */
  syncNow(): void
  getStatus(): SyncStatus
  subscribe(listener: () => void): () => void
}

/** Pull interval while idle and online; local changes are pushed within `pushDelayMs`. */
const pollMs = 30_000
const pushDelayMs = 1_500
const maxBackoffMs = 5 * 60_000

/**
 * Keeps the library in step with the gateway while started: pushes local changes shortly after
 * they happen, pulls every 30 s and when the tab comes back, pauses while offline, and retries
 * failures with a growing delay. Tabs take turns through a Web Lock, so two tabs never sync at
 * once. A 401 calls `onSignedOut` and stops.
 */
export function createSyncEngine(
  db: SightlineDb,
  api: GatewayClient,
  onSignedOut: () => void,
): SyncEngine {
  let status: SyncStatus = { phase: 'off' }
  const listeners = new Set<() => void>()
  let started = false
  let running = false
  let again = false
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let poll: ReturnType<typeof setInterval> | undefined
  let controller: AbortController | undefined
  let outboxWatch: { unsubscribe(): void } | undefined

  const set = (next: SyncStatus) => {
    status = next
    for (const listener of listeners) listener()
  }

  const schedule = (delayMs: number) => {
    if (!started) return
    clearTimeout(timer)
    timer = setTimeout(() => void run(), delayMs)
  }

  const onOnline = () => schedule(0)
  const onOffline = () => {
    controller?.abort(new DOMException('Offline', 'AbortError'))
    set({ phase: 'offline' })
  }
  const onVisible = () => {
    if (document.visibilityState === 'visible') schedule(0)
  }

  async function run(): Promise<void> {
    if (!started) return
    if (!navigator.onLine) return set({ phase: 'offline' })
    if (running) {
      again = true
      return
    }
    running = true
    controller = new AbortController()
    const { signal } = controller
    set({ phase: 'syncing', activity: 'Syncing' })
    try {
      await withSyncLock(async () => {
        const { deviceId } = await readSyncState(db)
        const push = () =>
          pushChanges(signal, db, api, deviceId, ({ pending }) =>
            set({ phase: 'syncing', activity: `Sending changes: ${pending} left` }),
          )
        await push()
        await pullChanges(signal, db, api, deviceId, (applied) =>
          set({ phase: 'syncing', activity: `Receiving changes: ${applied}` }),
        )
        await push()
        const state = await readSyncState(db)
        await db.syncState.put({ ...state, lastSyncedAt: Date.now() })
      })
      failures = 0
      set({ phase: 'idle' })
    } catch (error) {
      if (!started) return set({ phase: 'off' })
      if (signal.aborted || !navigator.onLine) return set({ phase: 'offline' })
      if (error instanceof GatewayError && error.status === 401) {
        stop()
        onSignedOut()
        return
      }
      failures++
      const retryAfterMs =
        error instanceof GatewayError && error.retryAfterS !== undefined
          ? error.retryAfterS * 1000
          : Math.min(maxBackoffMs, 2000 * 2 ** (failures - 1))
      set({ phase: 'error', error: describe(error), retryAt: Date.now() + retryAfterMs })
      schedule(retryAfterMs)
    } finally {
      running = false
      if (again && started) {
        again = false
        schedule(0)
      }
    }
  }

  function stop() {
    started = false
    clearTimeout(timer)
    clearInterval(poll)
    controller?.abort(new DOMException('Sync stopped', 'AbortError'))
    outboxWatch?.unsubscribe()
    window.removeEventListener('online', onOnline)
    window.removeEventListener('offline', onOffline)
    document.removeEventListener('visibilitychange', onVisible)
    set({ phase: 'off' })
  }

  return {
    start() {
      if (started) return
      started = true
      window.addEventListener('online', onOnline)
      window.addEventListener('offline', onOffline)
      document.addEventListener('visibilitychange', onVisible)
      poll = setInterval(() => schedule(0), pollMs)
      outboxWatch = liveQuery(() => db.outbox.count()).subscribe({
        next: (pending) => {
          if (pending > 0 && status.phase !== 'error') schedule(pushDelayMs)
        },
      })
      set({ phase: navigator.onLine ? 'idle' : 'offline' })
      schedule(0)
    },
    stop,
    syncNow() {
      failures = 0
      schedule(0)
    },
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

async function withSyncLock(task: () => Promise<void>): Promise<void> {
  if (!('locks' in navigator)) return task()
  await navigator.locks.request('sightline-sync', () => task())
}

function describe(error: unknown): string {
  if (error instanceof NetworkError) return 'The server cannot be reached'
  if (error instanceof GatewayError) {
    if (error.type === 'quota-exceeded') {
      return 'Your storage on the server is full. Delete images there or ask its admin for more room; your changes wait on this device'
    }
    if (error.status === 413) return `The server refused a change: ${error.message}`
    if (error.status >= 500) return 'The server had a problem; trying again'
    return error.message
  }
  if (error instanceof Error && error.name === 'StorageFullError') return error.message
  return 'Sync failed unexpectedly'
}
