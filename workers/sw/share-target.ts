/** Where the manifest's `share_target` posts images shared from other apps. */
export const shareTargetPath = '/share-target'
/** Cache holding shared files until the library page imports them (app/_lib/pwa/shared-files.ts). */
export const sharedFilesCache = 'sightline-shared'
/** The form field the manifest names for the files. */
export const sharedFilesField = 'images'

/**
 * Keeps the files of a share in a cache, one entry per file under `/shared/<batch>/<n>`, and sends
 * the browser to the library, which imports them and empties the cache. The page cannot read a
 * POST body itself, hence the cache.
 */
export async function receiveShare(request: Request): Promise<Response> {
  const batch = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  let stored = 0
  try {
    const form = await request.formData()
    const cache = await caches.open(sharedFilesCache)
    for (const entry of form.getAll(sharedFilesField)) {
      if (typeof entry === 'string') continue
      await cache.put(
        `/shared/${batch}/${stored}`,
        new Response(entry, {
          headers: {
            'Content-Type': entry.type || 'application/octet-stream',
            'X-File-Name': encodeURIComponent(entry.name),
            'X-Last-Modified': String(entry.lastModified),
          },
        }),
      )
      stored++
    }
  } catch {
    return Response.redirect('/library?shared=failed', 303)
  }
  return Response.redirect(stored ? `/library?shared=${batch}` : '/library?shared=none', 303)
}
