/**
 * The same response without its URL. A worker's `location` is its script response's URL when it
 * has one; a cached response's URL lacks the request's fragment, which Turbopack uses to pass the
 * worker its bootstrap config (`#params=`).
 */
export function rewrapForWorker(response: Response): Response {
  if (response.type === 'error' || response.type === 'opaque') return response
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
}
