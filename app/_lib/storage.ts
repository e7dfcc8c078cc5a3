export interface StorageStatus {
  usageBytes?: number
  quotaBytes?: number
  persisted?: boolean
  /** Bytes per kind of storage (`indexedDB`, `caches`…), where the browser tells (Chromium). */
  usageDetails?: Record<string, number>
}

/**
 * How close this origin is to its quota: `warning` from 80 % of it, `critical` from 95 %, and
 * `full` once the browser has refused a write. `unknown` where the browser reports no quota.
 */
export type StorageLevel = 'unknown' | 'ok' | 'warning' | 'critical' | 'full'

/** Shares of the quota (0–1) where the warning and critical levels start. */
export const warningShare = 0.8
export const criticalShare = 0.95

const rank: Record<StorageLevel, number> = { unknown: 0, ok: 0, warning: 1, critical: 2, full: 3 }

/**
 * Usage must drop this far below what it was when the browser refused a write before storage
 * counts as freed: usage moves by some kilobytes on its own (database housekeeping).
 */
export const freedBytesToClearFull = 1_000_000

/**
 * The level for a status. `fullAtUsageBytes` is the usage when the browser last refused a
 * write: storage counts as full until space has been freed, because some browsers report a
 * quota far above the real limit (Chromium reports usage + 10 GiB).
 */
export function storageLevel(status: StorageStatus, fullAtUsageBytes?: number): StorageLevel {
  const { usageBytes, quotaBytes } = status
  if (
    fullAtUsageBytes !== undefined &&
    (usageBytes === undefined || usageBytes > fullAtUsageBytes - freedBytesToClearFull)
  ) {
    return 'full'
  }
  if (usageBytes === undefined || !quotaBytes) return 'unknown'
  const share = usageBytes / quotaBytes
  if (share >= criticalShare) return 'critical'
  return share >= warningShare ? 'warning' : 'ok'
}

const refusedAtKey = 'sightline.storage.refused-at-usage'

/**
 * The usage (bytes) when the browser last refused a write, kept across visits until space is
 * freed; undefined when it has not happened or was forgotten.
 */
export function readRefusedWriteUsage(): number | undefined {
  try {
    const value = Number(localStorage.getItem(refusedAtKey) ?? Number.NaN)
    return Number.isFinite(value) ? value : undefined
  } catch {
    return undefined // storage blocked: only this visit's refusals count
  }
}

/** Remembers a refused write at `usageBytes`, or forgets it (undefined) once space is freed. */
export function rememberRefusedWrite(usageBytes: number | undefined): void {
  try {
    if (usageBytes === undefined) localStorage.removeItem(refusedAtKey)
    else localStorage.setItem(refusedAtKey, String(usageBytes))
  } catch {
    // Storage blocked: the guardian still knows for this visit.
  }
}

/** Whether `level` is one to tell the user about, given the highest level they dismissed. */
export function isNoticeDue(level: StorageLevel, dismissed: StorageLevel | undefined): boolean {
  return rank[level] > rank[dismissed ?? 'ok']
}

/** The share of the quota in use, 0–100, or undefined when the browser does not say. */
export function usedPercent({ usageBytes, quotaBytes }: StorageStatus): number | undefined {
  return usageBytes !== undefined && quotaBytes ? (usageBytes / quotaBytes) * 100 : undefined
}

const usageLabels: Record<string, string> = {
  indexedDB: 'Images, thumbnails and results',
  caches: 'Offline copy of the app and its models',
  serviceWorkerRegistrations: 'Offline app',
  fileSystem: 'Files',
}

export interface UsagePart {
  key: string
  label: string
  bytes: number
}

/** The browser's per-kind usage as labelled parts, largest first, leaving out empty ones. */
export function usageBreakdown(details: Record<string, number> | undefined): UsagePart[] {
  return Object.entries(details ?? {})
    .filter(([, bytes]) => bytes > 0)
    .map(([key, bytes]) => ({ key, label: usageLabels[key] ?? key, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
}

/** Fired on `window` once a persistence request has been answered, so views can re-read. */
export const persistenceAnsweredEvent = 'sightline:persistence-answered'

/** Asks the browser not to evict the library under storage pressure. Never throws. */
export async function requestPersistentStorage(): Promise<boolean> {
  let granted = false
  try {
    if (!navigator.storage?.persist) return false
    granted = (await navigator.storage.persisted()) || (await navigator.storage.persist())
  } catch (err) {
    console.warn('Persistent storage request failed', err)
  }
  window.dispatchEvent(new Event(persistenceAnsweredEvent))
  return granted
}

/** When the app asks for persistence unprompted: once after the first import, once installed. */
export type PersistOccasion = 'first-import' | 'installed'

const askedKey = (occasion: PersistOccasion) => `sightline.storage.persist-asked.${occasion}`

/**
 * Asks for persistent storage the first time `occasion` happens, and never again for it, since
 * some browsers (Firefox) ask the user each time. Resolves to undefined when already asked.
 */
export async function requestPersistenceOnce(
  occasion: PersistOccasion,
): Promise<boolean | undefined> {
  try {
    if (localStorage.getItem(askedKey(occasion))) return undefined
    localStorage.setItem(askedKey(occasion), new Date().toISOString())
  } catch {
    return undefined // storage blocked: asking on every visit would nag
  }
  return requestPersistentStorage()
}

/** Whether the app has asked for persistence unprompted on any occasion. */
export function hasAskedForPersistence(): boolean {
  try {
    return (['first-import', 'installed'] as const).some((o) => localStorage.getItem(askedKey(o)))
  } catch {
    return false // storage blocked: behave as if never asked
  }
}

/** Usage, quota, breakdown and persistence for this origin, as far as the browser tells. */
export async function readStorageStatus(): Promise<StorageStatus> {
  const storage = navigator.storage
  if (!storage?.estimate) return {}
  const [estimate, persisted] = await Promise.all([
    storage.estimate(),
    storage.persisted?.() ?? Promise.resolve(undefined),
  ])
  // `usageDetails` is Chromium-only and not in TypeScript's DOM types.
  const { usageDetails } = estimate as StorageEstimate & { usageDetails?: Record<string, number> }
  return {
    usageBytes: estimate.usage,
    quotaBytes: estimate.quota,
    persisted,
    ...(usageDetails ? { usageDetails } : {}),
  }
}
