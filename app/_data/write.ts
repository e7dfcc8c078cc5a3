import type { Table } from 'dexie'
import { StorageFullError } from '../../models/errors'
import type { SightlineDb } from './db'

/** Runs `scope` in one read-write transaction, so that it writes everything or nothing. */
export async function write<T>(
  db: SightlineDb,
  tables: Table[],
  scope: () => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction('rw', tables, scope)
  } catch (err) {
    if (isQuotaExceeded(err)) {
      throw new StorageFullError(
        'Browser storage is full, so nothing was saved. Free space on this device or delete ' +
          'images from the library, then try again.',
        { cause: err },
      )
    }
    throw err
  }
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
