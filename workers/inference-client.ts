import type { OptionsOf, ResultOf, TaskId } from '../models'
import { proxy } from 'comlink'
import type { AnalysisRun, InferenceApi, LoadProgress } from './inference.worker'
import { createWorkerPool, type WorkerPool } from './pool'
import type { RuntimeInfo, RuntimeOptions, ProviderPreference } from './runtime/ort'

export type { AnalysisRun, LoadProgress } from './inference.worker'
export type { Provider, ProviderPreference, RuntimeInfo } from './runtime/ort'
export { providerPreferences } from './runtime/ort'
export { modelCacheName, modelUrl } from './runtime/model-cache'

/** The worker keeps its compiled models; give the memory back after this long without work. */
const idleTimeoutMs = 120_000

export interface InferencePlan {
  /** Workers in the pool. */
  workers: number
  /** WASM threads per worker. */
  threads: number
}

/**
 * Splits the machine between workers and WASM threads: two threads per worker from four cores
 * up (a batch keeps every core busy while one image still gets two), capped by memory, since
 * each worker holds its own copy of every model (≈ 0.5 GB with all tasks loaded).
 */
export function planInference(
  cores: number,
  memoryGb: number,
  preference: ProviderPreference,
): InferencePlan {
  const threads = preference === 'wasm' ? 1 : Math.min(4, Math.max(1, cores >= 4 ? 2 : cores))
  // One GPU device: more workers would only contend for it.
  if (preference === 'webgpu') return { workers: 1, threads }
  const byCores = Math.max(1, Math.floor(cores / threads))
  const byMemory = Math.max(1, Math.floor(memoryGb / 2))
  return { workers: Math.min(4, byCores, byMemory), threads }
}

let pool: WorkerPool<InferenceApi> | undefined
let runtimeOptions: RuntimeOptions | undefined
let preference: ProviderPreference = 'auto'

function currentPlan(): InferencePlan {
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined
  return planInference(nav?.hardwareConcurrency || 2, nav?.deviceMemory ?? 4, preference)
}

function getOrCreatePool(): { pool: WorkerPool<InferenceApi>; options: RuntimeOptions } {
  if (!pool || !runtimeOptions) {
    const plan = currentPlan()
    runtimeOptions = { preference, threads: plan.threads }
    pool = createWorkerPool<InferenceApi>({
      size: plan.workers,
      // Two calls per worker: one image's pre/post-processing overlaps another's inference.
      perWorker: 2,
      idleTimeoutMs,
      createWorker: () =>
        new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module' }),
      label: 'analysis',
    })
  }
  return { pool, options: runtimeOptions }
}

/** Sets the execution provider preference; running workers are replaced when it changes. */
export function setProviderPreference(next: ProviderPreference): void {
  if (next === preference) return
  preference = next
  disposeInferenceWorkers()
}

/** Workers and threads the pool uses with the current preference. */
export function inferencePlan(): InferencePlan {
  return currentPlan()
}

/** The provider and threads a worker resolves to (starts a worker if none runs). */
export function runtimeInfo(signal: AbortSignal): Promise<RuntimeInfo> {
  const { pool, options } = getOrCreatePool()
  return pool.call(signal, (api) => api.runtime(options))
}

/** Downloads, verifies and compiles a task's models in a worker ahead of the first image. */
export function prepareTask(
  signal: AbortSignal,
  id: TaskId,
  onProgress?: (progress: LoadProgress) => void,
): Promise<void> {
  const { pool, options } = getOrCreatePool()
  return pool.call(signal, (api) =>
    api.prepare(id, options, onProgress ? proxy(onProgress) : undefined),
  )
}

/**
 * Analyses one image with one task in the worker pool. Aborting rejects at once with
 * `signal.reason`; the worker is kept, because re-creating its sessions costs seconds.
 *
 * @example
 * const run = await analyze(controller.signal, 'object-detection', { id, original })
 * run.result.objects
 */
export async function analyze<Id extends TaskId>(
  signal: AbortSignal,
  id: Id,
  image: { id: string; original: Blob },
  taskOptions: Partial<OptionsOf<Id>> = {},
  /** Hears the download of the task's models when this call is the one that loads them. */
  onProgress?: (progress: LoadProgress) => void,
): Promise<AnalysisRun & { result: ResultOf<Id> }> {
  const { pool, options } = getOrCreatePool()
  const run = await pool.call(signal, (api) =>
    api.analyze(
      id,
      image.id,
      image.original,
      taskOptions,
      options,
      onProgress ? proxy(onProgress) : undefined,
    ),
  )
  // comlink's Remote<> cannot carry the per-task result types; this is the one cast that restores them.
  return run as AnalysisRun & { result: ResultOf<Id> }
}

/** Renders a person cut-out or blurred-background PNG in a worker from a stored mask. */
export function composePerson(
  signal: AbortSignal,
  kind: 'cutout' | 'blur',
  original: Blob,
  mask: { width: number; height: number; data: Uint8Array },
): Promise<Blob> {
  const { pool } = getOrCreatePool()
  return pool.call(signal, (api) => api.composePerson(kind, original, mask))
}

/** Terminates the inference workers (their models are freed); the next call starts new ones. */
export function disposeInferenceWorkers(): void {
  pool?.dispose()
  pool = undefined
  runtimeOptions = undefined
}
