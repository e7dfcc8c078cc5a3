export interface StorageStatus {
  usageBytes?: number
  quotaBytes?: number
  persisted?: boolean
}

/** Asks the browser not to evict the library under storage pressure. Never throws. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    if (!navigator.storage?.persist) return false
    if (await navigator.storage.persisted()) return true
    return await navigator.storage.persist()
  } catch (err) {
    console.warn('Persistent storage request failed', err)
    return false
  }
}

/** Usage and quota for this origin, as far as the browser tells. */
export async function readStorageStatus(): Promise<StorageStatus> {
  const storage = navigator.storage
  if (!storage?.estimate) return {}
  const [estimate, persisted] = await Promise.all([
    storage.estimate(),
    storage.persisted?.() ?? Promise.resolve(undefined),
  ])
  return { usageBytes: estimate.usage, quotaBytes: estimate.quota, persisted }
}
