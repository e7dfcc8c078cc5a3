import type { ImportApi } from './import.worker'
import type { Inspected } from './import/types'
import { createWorkerPool, type WorkerPool } from './pool'
import type { TelemetryConfig } from './telemetry/config'

export type { ExifSummary, Gps, ImageFormat, Inspected } from './import/types'
export { formatLabels, imageFormats, importLimits, thumbnailMaxSide } from './import/types'

export interface ImportPoolOptions {
  /** Most workers alive at once; default min(4, max(1, hardwareConcurrency || 2)). */
  size?: number
  /** Files one worker inspects at once. More wait here, so at most size × perWorker files are in memory. */
  perWorker?: number
  /** A worker with nothing to do is terminated after this long. */
  idleTimeoutMs?: number
  createWorker?: () => Worker
}

export interface ImportPool {
  /** Inspects one file in a worker. Aborting rejects at once with `signal.reason`; the worker finishes the file and the result is dropped. */
  inspectFile(signal: AbortSignal, file: File): Promise<Inspected>
  /** Terminates every worker; pending calls reject with an AbortError. */
  dispose(): void
}

/** A pool of import workers with least-busy dispatch, a bounded queue and idle reaping. */
export function createImportPool(options: ImportPoolOptions = {}): ImportPool {
  const pool = createWorkerPool<ImportApi>({
    size: options.size ?? defaultPoolSize(),
    perWorker: options.perWorker ?? 2,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    createWorker: options.createWorker ?? createImportWorker,
    label: 'import',
    onSpawn: (api) => {
      // A worker that cannot start its error reporting still imports.
      if (telemetry) void api.configureTelemetry(telemetry).catch(() => {})
    },
    workersReportErrors: true,
  })
  pools.add(pool)
  return {
    inspectFile: (signal, file) => pool.call(signal, (api) => api.inspect(file)),
    dispose: () => {
      pools.delete(pool)
      pool.dispose()
    },
  }
}

let telemetry: TelemetryConfig | null = null
const pools = new Set<WorkerPool<ImportApi>>()

/**
 * Starts, restarts or (with `null`) stops error reporting in the import workers: those running
 * now and every one started later.
 */
export function configureImportTelemetry(config: TelemetryConfig | null): void {
  if (JSON.stringify(config) === JSON.stringify(telemetry)) return
  telemetry = config
  for (const pool of pools) {
    pool.broadcast((api) => void api.configureTelemetry(config).catch(() => {}))
  }
}

let pool: ImportPool | undefined

function getOrCreatePool(): ImportPool {
  pool ??= createImportPool()
  return pool
}

/**
 * Inspects one file in the shared import worker pool: hash, format, size, EXIF and thumbnail, or
 * a refusal named FileTooLargeError, TooManyPixelsError, UnsupportedFormatError or
 * CorruptImageError (match on `err.name`).
 *
 * @example
 * const inspected = await inspectFile(controller.signal, file)
 */
export function inspectFile(signal: AbortSignal, file: File): Promise<Inspected> {
  return getOrCreatePool().inspectFile(signal, file)
}

/** How many workers the shared pool runs at most: callers size their own concurrency by it. */
export function importPoolSize(): number {
  return defaultPoolSize()
}

/** Terminates the shared pool's workers, for example on sign-out or hot reload. */
export function disposeImportWorkers(): void {
  pool?.dispose()
  pool = undefined
}

function createImportWorker(): Worker {
  return new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' })
}

function defaultPoolSize(): number {
  return Math.min(4, Math.max(1, globalThis.navigator?.hardwareConcurrency || 2))
}
