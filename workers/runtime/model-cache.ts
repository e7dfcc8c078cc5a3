import { ModelLoadError } from '../../models/errors'
import type { ModelFile } from '../../models/types'
import { count } from '../telemetry/counters'

/** Cache Storage bucket for model files; bump the suffix to drop every cached model at once. */
export const modelCacheName = 'sightline-models-v1'

export const modelUrl = (file: ModelFile) => `/models/${file.file}`

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

const matches = async (file: ModelFile, bytes: ArrayBuffer) =>
  bytes.byteLength === file.bytes && (await sha256Hex(bytes)) === file.sha256

/**
 * A model file's bytes, from Cache Storage when present and intact, else downloaded from our own
 * origin and cached. Either way the bytes are checked against the manifest's sha256 first, so a
 * corrupt cache entry or a half-deployed server never reaches ONNX Runtime.
 */
export async function fetchModelFile(
  file: ModelFile,
  onBytes: (received: number) => void = () => {},
): Promise<ArrayBuffer> {
  const url = modelUrl(file)
  // Cache Storage is missing outside secure contexts; the model is then fetched every time.
  const cache = globalThis.caches ? await caches.open(modelCacheName) : undefined
  // The service worker's precache holds the models too (under a revision query): use its copy
  // rather than storing a second one.
  const cached =
    cache && ((await cache.match(url)) ?? (await caches.match(url, { ignoreSearch: true })))
  if (cached) {
    const bytes = await cached.arrayBuffer()
    if (await matches(file, bytes)) {
      onBytes(bytes.byteLength)
      count('cacheHits')
      return bytes
    }
    await cache?.delete(url)
  }
  // Nothing usable cached: from here on it is a download, so say so before the first byte.
  onBytes(0)
  count('cacheMisses')
  let response: Response
  try {
    response = await fetch(url, { cache: 'no-cache' })
  } catch (cause) {
    throw new ModelLoadError(`Could not download the model ${file.file}: the network failed.`, {
      cause,
    })
  }
  if (!response.ok) {
    throw new ModelLoadError(
      `Could not download the model ${file.file}: the server answered ${response.status}. Run \`npm run models\` on the server.`,
    )
  }
  const bytes = await readWithProgress(response, onBytes)
  if (!(await matches(file, bytes))) {
    throw new ModelLoadError(
      `The model ${file.file} failed its integrity check (${bytes.byteLength} bytes, expected ${file.bytes} with sha256 ${file.sha256.slice(0, 12)}…).`,
    )
  }
  try {
    await cache?.put(
      url,
      new Response(bytes.slice(0), { headers: { 'content-length': String(bytes.byteLength) } }),
    )
  } catch (error) {
    // A full quota only costs a re-download next time.
    console.warn(`Could not cache ${file.file}`, error)
  }
  return bytes
}

/** The body's bytes, reporting the running total as chunks arrive. */
async function readWithProgress(
  response: Response,
  onBytes: (received: number) => void,
): Promise<ArrayBuffer> {
  if (!response.body) return response.arrayBuffer()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.byteLength
    onBytes(received)
  }
  const bytes = new Uint8Array(received)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes.buffer
}
