import { registry, type OptionsOf, type ResultOf, type TaskId } from '../models'
import { proxy } from 'comlink'
import type { AnalysisRun, InferenceApi, LoadProgress } from './inference.worker'
import { createWorkerPool, type WorkerPool } from './pool'
import type { Provider, RuntimeInfo, RuntimeOptions, ProviderPreference } from './runtime/ort'
import type { TelemetryConfig } from './telemetry/config'
import type { WorkerCounters } from './telemetry/counters'

export type { AnalysisRun, LoadProgress } from './inference.worker'
export type { Provider, ProviderPreference, RuntimeInfo } from './runtime/ort'
export { providerPreferences } from './runtime/ort'
export { modelCacheName, modelUrl } from './runtime/model-cache'
export type { TelemetryConfig } from './telemetry/config'
export type { WorkerCounters } from './telemetry/counters'

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
let telemetry: TelemetryConfig | null = null

/** What happened in the pool, for performance telemetry (timings and counts only). */
export type InferenceEvent =
  | {
      type: 'run'
      task: TaskId
      /** The task's manifest version: it changes with weights and post-processing. */
      model: string
      provider: Provider | 'js'
      ok: boolean
      /** Pre-processing, inference and post-processing; absent for a failed run. */
      durationMs?: number
    }
  | { type: 'counters'; counters: WorkerCounters }
  /** Calls in the pool (waiting or running) right after one was added. */
  | { type: 'queue'; depth: number }

const observers = new Set<(event: InferenceEvent) => void>()
/** The provider each task last ran on, to label its failures. */
const lastProvider = new Map<TaskId, Provider | 'js'>()

/** Hears every analysis run, worker counters and queue depth; returns the unsubscribe. */
export function observeInference(observer: (event: InferenceEvent) => void): () => void {
  observers.add(observer)
  return () => observers.delete(observer)
}

function emit(event: InferenceEvent) {
  for (const observer of observers) observer(event)
}

const configure = (api: { configureTelemetry(config: TelemetryConfig | null): Promise<void> }) =>
  // A worker that cannot start its error reporting still analyses.
  void api.configureTelemetry(telemetry).catch(() => {})

/**
 * Starts, restarts or (with `null`) stops error reporting in the analysis workers: those running
 * now and every one started later.
 */
export function configureTelemetry(config: TelemetryConfig | null): void {
  if (JSON.stringify(config) === JSON.stringify(telemetry)) return
  telemetry = config
  pool?.broadcast(configure)
}

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
      onSpawn: (api) => {
        if (telemetry) configure(api)
      },
      // Long enough for the worker's own error report to leave (one local POST).
      crashGraceMs: 3_000,
      workersReportErrors: true,
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
export async function prepareTask(
  signal: AbortSignal,
  id: TaskId,
  onProgress?: (progress: LoadProgress) => void,
): Promise<void> {
  const { pool, options } = getOrCreatePool()
  const counters = await pool.call(signal, (api) =>
    api.prepare(id, options, onProgress ? proxy(onProgress) : undefined),
  )
  emit({ type: 'counters', counters })
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
  const pending = pool.call(signal, (api) =>
    api.analyze(
      id,
      image.id,
      image.original,
      taskOptions,
      options,
      onProgress ? proxy(onProgress) : undefined,
    ),
  )
  emit({ type: 'queue', depth: pool.pending })
  let run: AnalysisRun
  try {
    run = await pending
  } catch (error) {
    // Aborted work was superseded or cancelled, not failed.
    if (!(error instanceof Error && error.name === 'AbortError') && !signal.aborted) {
      emit({
        type: 'run',
        task: id,
        model: registry[id].manifest.version,
        ok: false,
        provider: guessProvider(id, options),
      })
    }
    throw error
  }
  lastProvider.set(id, run.provider)
  emit({ type: 'counters', counters: run.counters })
  emit({
    type: 'run',
    task: id,
    model: run.version,
    provider: run.provider,
    ok: true,
    durationMs: run.durationMs,
  })
  // comlink's Remote<> cannot carry the per-task result types; this is the one cast that restores them.
  return run as AnalysisRun & { result: ResultOf<Id> }
}

/** The provider a failed run would most likely have used. */
function guessProvider(id: TaskId, options: RuntimeOptions): Provider | 'js' {
  const known = lastProvider.get(id)
  if (known) return known
  const hasModel = Object.values(registry[id].manifest.files).some((file) => file.kind === 'onnx')
  if (!hasModel) return 'js'
  return options.preference === 'webgpu' ? 'webgpu' : 'wasm'
}

/**
 * Throws an uncaught test error inside an analysis worker (once its error reporting is set up),
 * for "Send a test error" in Settings.
 */
export function throwWorkerTestError(signal: AbortSignal, note: string): Promise<void> {
  const { pool } = getOrCreatePool()
  return pool.call(signal, (api) => api.throwTestError(note))
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
