/** Requests for the gateway (`server/`): never cached by the service worker. */
export function isGatewayRequest(url: URL): boolean {
  return url.pathname === '/api' || url.pathname.startsWith('/api/') || url.pathname === '/metrics'
}

/** A Next.js router request for a page's React Server Components payload. */
export function isRscRequest(request: Request): boolean {
  return request.headers.get('RSC') === '1' || new URL(request.url).searchParams.has('_rsc')
}

/**
 * The precached page that answers a navigation: its path, without the query (the library reads
 * `?import=1`, `?shared=1` in the page) and without a trailing slash.
 */
export function shellPath(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '')
  return path === '' ? '/' : path
}
