import { sharedFilesCache } from '../../../workers/sw/share-target'

/**
 * The files of a share the service worker received (workers/sw/share-target.ts), removed from
 * its cache as they are read. Empty when the batch is gone (already imported in another tab).
 */
export async function takeSharedFiles(batch: string): Promise<File[]> {
  if (!globalThis.caches || !/^[a-z0-9-]+$/.test(batch)) return []
  const cache = await caches.open(sharedFilesCache)
  const prefix = `/shared/${batch}/`
  const requests = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith(prefix))
  const files: File[] = []
  for (const request of requests) {
    const response = await cache.match(request)
    await cache.delete(request)
    if (!response) continue
    files.push(
      new File(
        [await response.blob()],
        decodeURIComponent(response.headers.get('X-File-Name') ?? 'shared image'),
        {
          type: response.headers.get('Content-Type') ?? '',
          lastModified: Number(response.headers.get('X-Last-Modified')) || Date.now(),
        },
      ),
    )
  }
  return files
}

/** The File Handling API's launch queue (Chromium; not in TypeScript's DOM types). */
interface LaunchQueue {
  setConsumer(consumer: (params: { files?: readonly FileSystemHandle[] }) => void): void
}

/**
 * Hands the files the installed app was opened with (the manifest's `file_handlers`) to `take`.
 * Does nothing where the browser has no launch queue.
 */
export function consumeLaunchedFiles(take: (files: File[]) => void): void {
  const queue = (window as Window & { launchQueue?: LaunchQueue }).launchQueue
  queue?.setConsumer(async ({ files = [] }) => {
    const handles = files.filter((h): h is FileSystemFileHandle => h.kind === 'file')
    if (handles.length > 0) take(await Promise.all(handles.map((h) => h.getFile())))
  })
}
