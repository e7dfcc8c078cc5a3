import { hc, type ClientResponse } from 'hono/client'
import type { AppType } from '../../../server/app'

const createRpc = (baseUrl: string, fetcher: typeof fetch) =>
  hc<AppType>(baseUrl, { fetch: fetcher, init: { credentials: 'same-origin' } }).api

/** The gateway's API (`rpc`, typed from its routes) and plain requests for file bytes. */
export interface GatewayClient {
  rpc: ReturnType<typeof createRpc>
  /** `fetch` for a path under the gateway's origin, e.g. `/api/blobs/…`. */
  fetch(path: string, init?: RequestInit): Promise<Response>
}

/**
 * A client for the gateway on this page's origin (the session cookie goes along). Tests pass
 * another origin and a fetch that keeps cookies.
 */
export function createGatewayClient(
  baseUrl = '',
  fetcher: typeof fetch = (...args) => fetch(...args),
): GatewayClient {
  return {
    rpc: createRpc(baseUrl || '/', fetcher),
    fetch: (path, init) => fetcher(`${baseUrl}${path}`, { credentials: 'same-origin', ...init }),
  }
}

/** A problem document from the gateway, thrown for any answer that is not a success. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError'

  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fieldErrors: { path: string; message: string }[] = [],
    readonly retryAfterS?: number,
  ) {
    super(message)
  }
}

/** The connection failed before an answer came (offline, server down, dropped mid-request). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'
}

type SuccessStatus = 200 | 201 | 204

/** The body type of a call's successful answers. */
type Success<R> =
  R extends ClientResponse<infer T, infer S> ? (S extends SuccessStatus ? T : never) : never

/** Runs a gateway call; returns the parsed JSON of a success, throws GatewayError or NetworkError. */
export async function call<R extends ClientResponse<unknown, number, string>>(
  request: () => Promise<R>,
): Promise<Success<R>> {
  type T = Success<R>
  let response: R
  try {
    response = await request()
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new NetworkError('Could not reach the server', { cause })
  }
  if (response.ok) {
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T)
  }
  throw await toGatewayError(response)
}

export async function toGatewayError(response: Response): Promise<GatewayError> {
  const retryAfter = Number(response.headers.get('retry-after')) || undefined
  try {
    const problem = (await response.json()) as {
      type?: string
      detail?: string
      errors?: { path: string; message: string }[]
    }
    return new GatewayError(
      response.status,
      (problem.type ?? '').replace('/api/problems/', ''),
      problem.detail ?? `The server answered ${response.status}`,
      problem.errors ?? [],
      retryAfter,
    )
  } catch {
    return new GatewayError(
      response.status,
      'unknown',
      `The server answered ${response.status}`,
      [],
      retryAfter,
    )
  }
}
