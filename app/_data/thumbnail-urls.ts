import type { SightlineDb } from './db'
import { getThumbnail } from './images'

/** About five screens of a dense grid; older object URLs are revoked so their blobs can go. */
const maxEntries = 400

const urls = new Map<string, string>()
const pending = new Map<string, Promise<string | undefined>>()

/** A cached object URL for an image's thumbnail, if one was made already. */
export function peekThumbnailUrl(id: string): string | undefined {
  return urls.get(id)
}

/** Loads a thumbnail from IndexedDB once and hands out one object URL per image. */
export function getThumbnailUrl(db: SightlineDb, id: string): Promise<string | undefined> {
  const cached = urls.get(id)
  if (cached) {
    // Re-insert to mark it recently used.
    urls.delete(id)
    urls.set(id, cached)
    return Promise.resolve(cached)
  }
  let load = pending.get(id)
  if (!load) {
    load = getThumbnail(db, id)
      .then((blob) => {
        if (!blob) return undefined
        const url = URL.createObjectURL(blob)
        urls.set(id, url)
        evict()
        return url
      })
      .finally(() => pending.delete(id))
    pending.set(id, load)
  }
  return load
}

/** Revokes the URL of an image that is gone for good. */
export function forgetThumbnailUrl(id: string): void {
  const url = urls.get(id)
  if (url) URL.revokeObjectURL(url)
  urls.delete(id)
}

function evict(): void {
  // A revoked URL already shown in an <img> keeps its decoded pixels, so this is safe.
  for (const [id, url] of urls) {
    if (urls.size <= maxEntries) break
    URL.revokeObjectURL(url)
    urls.delete(id)
  }
}
