/// <reference lib="webworker" />
import { NetworkOnly, Serwist, StaleWhileRevalidate, ExpirationPlugin } from 'serwist'
import type { PrecacheEntry } from 'serwist'
import { isGatewayRequest, isRscRequest, shellPath } from './sw/routes'
import { rewrapForWorker } from './sw/worker-scripts'
import { receiveShare, shareTargetPath } from './sw/share-target'

// The service worker (built by `serwist build serwist.config.mjs` after `next build`): the app
// shell, ONNX Runtime's wasm, opencv.js and the models are precached, versioned with the build, so
// everything but sync works offline after the first visit. A new version waits until the user
// chooses to reload (app/_components/update-prompt.tsx), never half-updating open tabs.

declare const self: ServiceWorkerGlobalScope & {
  __SW_MANIFEST: (PrecacheEntry | string)[] | undefined
}

const serwist: Serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  precacheOptions: { cleanupOutdatedCaches: true, concurrency: 6 },
  skipWaiting: false,
  // The first version takes over the open tab at once, so it works offline without a reload.
  clientsClaim: true,
  runtimeCaching: [
    // Accounts, sync and telemetry are never answered from a cache.
    {
      matcher: ({ url, sameOrigin }) => sameOrigin && isGatewayRequest(url),
      handler: new NetworkOnly(),
    },
    // Offline, Next's router falls back to a full navigation, which the shell answers.
    { matcher: ({ request }) => isRscRequest(request), handler: new NetworkOnly() },
    {
      matcher: ({ request, sameOrigin }) => sameOrigin && request.mode === 'navigate',
      handler: async ({ request, url }): Promise<Response> => {
        // `/` only redirects (app/page.tsx); answering it offline too.
        if (url.pathname === '/') return Response.redirect(`/library${url.search}`, 302)
        const shell = await serwist.matchPrecache(shellPath(url))
        if (shell) return shell
        try {
          return await fetch(request)
        } catch {
          return (await serwist.matchPrecache('/offline')) ?? Response.error()
        }
      },
    },
    {
      matcher: ({ request, sameOrigin }) => sameOrigin && request.method === 'GET',
      handler: new StaleWhileRevalidate({
        cacheName: 'sightline-runtime',
        plugins: [new ExpirationPlugin({ maxEntries: 200, maxAgeFrom: 'last-used' })],
      }),
    },
  ],
})

self.addEventListener('fetch', (event) => {
  const { request } = event
  const url = new URL(request.url)
  if (
    request.method === 'POST' &&
    url.origin === self.location.origin &&
    url.pathname === shareTargetPath
  ) {
    event.respondWith(receiveShare(request))
    event.stopImmediatePropagation()
    return
  }
  // A worker script answered from the cache would lose the URL fragment Turbopack passes the
  // worker's bootstrap config in; an answer without a URL keeps the request's.
  if (request.destination === 'worker' || request.destination === 'sharedworker') {
    const answer = serwist.handleRequest({ request, event })
    if (!answer) return
    event.respondWith(answer.then(rewrapForWorker))
    event.stopImmediatePropagation()
  }
})

serwist.addEventListeners()
