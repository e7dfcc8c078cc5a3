import type * as Ort from 'onnxruntime-web'
import { ModelLoadError } from '../../models/errors'
import type { Tensors } from '../../models/types'
import { count } from '../telemetry/counters'

/** What the user can choose in Settings; `auto` picks the fastest the device offers. */
export type ProviderPreference = 'auto' | 'webgpu' | 'wasm-threads' | 'wasm'
export const providerPreferences: readonly ProviderPreference[] = [
  'auto',
  'webgpu',
  'wasm-threads',
  'wasm',
]

/** The execution provider a session actually runs on. */
export type Provider = 'webgpu' | 'wasm'

export interface RuntimeInfo {
  provider: Provider
  /** WASM threads per session (WebGPU sessions still use WASM for a few ops). */
  threads: number
  /** Why the preferred provider was not used, when it was not. */
  fallback?: string
}

export interface RuntimeOptions {
  preference: ProviderPreference
  /** Threads for WASM when threads are allowed. */
  threads: number
}

type OrtModule = typeof Ort

/** Served by our own origin; copied from onnxruntime-web by `npm run models`. */
const wasmPaths = '/vendor/ort/'

/**
 * Decides the provider for this worker. WebGPU needs an adapter; a software ("fallback") adapter
 * is far slower than WASM here (STACK-NOTES: 60–170×), so `auto` uses it only when asked.
 * Threads need a cross-origin-isolated page (COOP/COEP in next.config.js).
 */
export async function resolveRuntime({
  preference,
  threads,
}: RuntimeOptions): Promise<RuntimeInfo> {
  const isolated = globalThis.crossOriginIsolated === true
  const wasm = (fallback?: string): RuntimeInfo => ({
    provider: 'wasm',
    threads: preference !== 'wasm' && isolated ? threads : 1,
    fallback,
  })
  if (preference === 'wasm' || preference === 'wasm-threads') {
    return wasm(
      preference === 'wasm-threads' && !isolated
        ? 'the page is not cross-origin isolated, so WASM runs on one thread'
        : undefined,
    )
  }
  const { gpu } = globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapter | null> } }
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null
  if (!adapter) {
    if (preference !== 'webgpu') return wasm()
    count('fallbacks')
    return wasm('this browser offers no WebGPU adapter')
  }
  if (adapter.info?.isFallbackAdapter && preference === 'auto') return wasm()
  return { provider: 'webgpu', threads: isolated ? threads : 1 }
}

interface GpuAdapter {
  info?: { isFallbackAdapter?: boolean }
}

let ortModule: Promise<OrtModule> | undefined

/**
 * Loads the ONNX Runtime build for the provider (the WebGPU build also runs WASM; the plain WASM
 * build is ≈ 3× faster per call on small models, STACK-NOTES). Global flags must be set before
 * the first session, so one worker uses one runtime for its life.
 */
function getOrLoadOrt(runtime: RuntimeInfo): Promise<OrtModule> {
  ortModule ??= (async () => {
    const ort = (runtime.provider === 'webgpu'
      ? await import('onnxruntime-web/webgpu')
      : await import('onnxruntime-web/wasm')) as unknown as OrtModule
    ort.env.wasm.wasmPaths = wasmPaths
    ort.env.wasm.numThreads = runtime.threads
    ort.env.logLevel = 'error'
    return ort
  })()
  ortModule.catch(() => (ortModule = undefined))
  return ortModule
}

export interface Session {
  /** Runs one inference; calls on one session are queued, never overlapped. */
  run(feeds: Tensors): Promise<Tensors>
  /** The provider this session ended up on. */
  provider: Provider
  release(): Promise<void>
}

/** Creates a session on the worker's provider, falling back to WASM when WebGPU cannot take the model. */
/**
 * Work that must not overlap in one worker. With WebGPU, two sessions created or run at the same
 * time deadlock ORT 1.30 (seen with face and object detection on one worker), so on that
 * runtime every creation and run goes through one line; on WASM only creations do.
 */
let exclusive: Promise<unknown> = Promise.resolve()

function inLine<T>(work: () => Promise<T>): Promise<T> {
  const result = exclusive.then(work)
  // A failure must not block what comes next.
  exclusive = result.catch(() => {})
  return result
}

export function createSession(
  runtime: RuntimeInfo,
  name: string,
  bytes: ArrayBuffer,
): Promise<Session> {
  return inLine(() => createSessionNow(runtime, name, bytes))
}

async function createSessionNow(
  runtime: RuntimeInfo,
  name: string,
  bytes: ArrayBuffer,
): Promise<Session> {
  const ort = await getOrLoadOrt(runtime)
  const options = (provider: Provider): Ort.InferenceSession.SessionOptions => ({
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    // ORT reports removed initializers through console.error; they are harmless.
    logSeverityLevel: 3,
  })
  let session: Ort.InferenceSession
  let provider = runtime.provider
  try {
    session = await ort.InferenceSession.create(new Uint8Array(bytes), options(provider))
  } catch (cause) {
    if (provider !== 'webgpu') {
      throw new ModelLoadError(`Could not create a session for ${name}.`, { cause })
    }
    console.warn(`WebGPU could not take ${name}; using WASM`, cause)
    count('fallbacks')
    provider = 'wasm'
    try {
      session = await ort.InferenceSession.create(new Uint8Array(bytes), options(provider))
    } catch (cause2) {
      throw new ModelLoadError(`Could not create a session for ${name}.`, { cause: cause2 })
    }
  }
  let queue: Promise<unknown> = Promise.resolve()
  const runNow = async (feeds: Tensors): Promise<Tensors> => {
    const inputs: Record<string, Ort.Tensor> = {}
    for (const [key, t] of Object.entries(feeds)) {
      const type =
        t.data instanceof Float32Array
          ? 'float32'
          : t.data instanceof Int32Array
            ? 'int32'
            : 'uint8'
      inputs[key] = new ort.Tensor(type, t.data, [...t.dims])
    }
    const outputs = await session.run(inputs)
    const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {}
    for (const [key, t] of Object.entries(outputs)) {
      out[key] = { data: (await t.getData()) as Float32Array, dims: t.dims }
      t.dispose()
    }
    return out as Tensors
  }
  return {
    provider,
    run(feeds) {
      if (runtime.provider === 'webgpu') return inLine(() => runNow(feeds))
      const result = queue.then(() => runNow(feeds))
      // A failed run must not block the next one.
      queue = result.catch(() => {})
      return result
    },
    release: () => session.release(),
  }
}
