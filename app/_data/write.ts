import type { Table } from 'dexie'
import { StorageFullError } from '../../models/errors'
import type { SightlineDb } from './db'

/** What a finished `write` did to storage: `stored`, or `full` when the browser refused it. */
export type WriteOutcome = 'stored' | 'full'

const listeners = new Set<(outcome: WriteOutcome) => void>()

/** Calls `listener` after every `write` that stored or ran out of space; returns the unsubscribe. */
export function watchWrites(listener: (outcome: WriteOutcome) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function tell(outcome: WriteOutcome) {
  for (const listener of listeners) {
    try {
      listener(outcome)
    } catch (err) {
      console.error(err) // a watcher's bug must not turn a stored write into a failed one
    }
  }
}

/**
 * Runs `scope` in one read-write transaction, so that it writes everything or nothing. A
 * QuotaExceededError becomes a StorageFullError; what earlier writes stored is untouched.
 */
export async function write<T>(
  db: SightlineDb,
  tables: Table[],
  scope: () => Promise<T>,
): Promise<T> {
  let result: T
  try {
    result = await db.transaction('rw', tables, scope)
  } catch (err) {
    if (isQuotaExceeded(err)) {
      tell('full')
      throw new StorageFullError(
        'Browser storage is full, so nothing was saved. Free space on this device or delete ' +
          'images from the library, then try again.',
        { cause: err },
      )
    }
    throw err
  }
  tell('stored')
  return result
}

/**
 * Whether `err` is, or wraps, a QuotaExceededError: Dexie wraps the DOMException as `inner` (an
 * aborted commit arrives as an AbortError around it) and lists per-row errors as `failures`.
 */
function isQuotaExceeded(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false
  const { name, inner, cause, failures } = err as Record<string, unknown>
  if (name === 'QuotaExceededError') return true
  const nested = typeof failures === 'object' && failures !== null ? Object.values(failures) : []
  return [inner, cause, ...nested].some((e) => isQuotaExceeded(e, depth + 1))
}
