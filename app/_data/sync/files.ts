import type { GatewayClient } from './gateway'
import { call, GatewayError, NetworkError, toGatewayError } from './gateway'

/** SHA-256 of a blob's bytes as lowercase hex. */
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Upload ids by SHA-256, so a file whose upload was cut off resumes where it stopped. */
const unfinished = new Map<string, string>()

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Puts a file on the gateway in chunks, resuming after a dropped connection (up to three times
 * within this call; after that the next sync resumes it). Files the user already has there are
 * not sent again. The gateway checks the SHA-256 at the end.
 */
export async function uploadFile(
  signal: AbortSignal,
  api: GatewayClient,
  blob: Blob,
  sha256: string,
  onBytes?: (sent: number) => void,
): Promise<void> {
  let upload = await resume(api, sha256, signal)
  if (!upload) {
    const started = await call(() =>
      api.rpc.blobs.uploads.$post({ json: { sha256, bytes: blob.size } }, { init: { signal } }),
    )
    if (started.status === 'stored') return
    upload = started.upload
    unfinished.set(sha256, upload.id)
  }
  let { received } = upload
  let failures = 0
  while (received < blob.size) {
    const end = Math.min(blob.size, received + upload.chunkBytes)
    try {
      const response = await api.fetch(`/api/blobs/uploads/${upload.id}?offset=${received}`, {
        method: 'PUT',
        body: blob.slice(received, end),
        headers: { 'content-type': 'application/octet-stream' },
        signal,
      })
      if (response.status === 409) {
        received = (await stateOf(api, upload.id, signal)).received
        continue
      }
      if (!response.ok) throw await toGatewayError(response)
      received = ((await response.json()) as { received: number }).received
      onBytes?.(received)
      failures = 0
    } catch (error) {
      if (signal.aborted || error instanceof GatewayError || ++failures > 3) {
        throw error instanceof TypeError
          ? new NetworkError('The upload was cut off', { cause: error })
          : error
      }
      await pause(500 * 2 ** failures)
      received = (await stateOf(api, upload.id, signal)).received
    }
  }
  await call(() =>
    api.rpc.blobs.uploads[':id'].complete.$post({ param: { id: upload.id } }, { init: { signal } }),
  )
  unfinished.delete(sha256)
}

async function resume(api: GatewayClient, sha256: string, signal: AbortSignal) {
  const id = unfinished.get(sha256)
  if (!id) return undefined
  try {
    return await stateOf(api, id, signal)
  } catch (error) {
    if (error instanceof GatewayError && error.status === 404) {
      unfinished.delete(sha256)
      return undefined
    }
    throw error
  }
}

function stateOf(api: GatewayClient, id: string, signal: AbortSignal) {
  return call(() => api.rpc.blobs.uploads[':id'].$get({ param: { id } }, { init: { signal } }))
}

/** Fetches a file from the gateway and checks its SHA-256. */
export async function downloadFile(
  signal: AbortSignal,
  api: GatewayClient,
  sha256: string,
  type: string,
): Promise<Blob> {
  let response: Response
  try {
    response = await api.fetch(`/api/blobs/${sha256}`, { signal })
  } catch (cause) {
    if (signal.aborted) throw cause
    throw new NetworkError('Could not download a file', { cause })
  }
  if (!response.ok) throw await toGatewayError(response)
  const bytes = await response.arrayBuffer()
  const blob = new Blob([bytes], { type })
  if ((await sha256Hex(blob)) !== sha256) {
    throw new GatewayError(502, 'checksum-mismatch', 'A downloaded file did not match its checksum')
  }
  return blob
}
