import type { Remote } from 'comlink'
import type { Point, Recipe } from '../models/_transform/recipe'
import { createWorkerPool, type WorkerPool } from './pool'
import type { TelemetryConfig } from './telemetry/config'
import type { Rendering, TransformApi } from './transform.worker'
import type { ExportType } from './transform/encode'

export type { Rendering } from './transform.worker'
export type { ExportType } from './transform/encode'

/** Long side of the live preview while a control moves, in pixels. */
export const previewMaxSide = 1280

const idleTimeoutMs = 60_000
let telemetry: TelemetryConfig | null = null
const pools = new Map<'preview' | 'full' | 'batch', WorkerPool<TransformApi>>()

function getOrCreatePool(kind: 'preview' | 'full' | 'batch'): WorkerPool<TransformApi> {
  let pool = pools.get(kind)
  if (!pool) {
    pool = createWorkerPool<TransformApi>({
      // Previews and full renders each keep their image open in one worker; batches use two.
      size: kind === 'batch' ? Math.min(2, globalThis.navigator?.hardwareConcurrency || 2) : 1,
      perWorker: 1,
      idleTimeoutMs,
      createWorker: () =>
        new Worker(new URL('./transform.worker.ts', import.meta.url), { type: 'module' }),
      label: 'editing',
      onSpawn: (api) => {
        if (telemetry) void api.configureTelemetry(telemetry).catch(() => {})
      },
      workersReportErrors: true,
    })
    pools.set(kind, pool)
  }
  return pool
}

/**
 * Runs `task` for the latest arguments only: while one runs, newer calls replace the waiting
 * one, and a replaced call resolves to null. Slider drags thus render their last position.
 */
function latestOnly<A extends unknown[], T>(task: (...args: A) => Promise<T>) {
  let running = false
  let waiting: { args: A; resolve(value: T | null): void; reject(error: unknown): void } | undefined
  const next = () => {
    const job = waiting
    waiting = undefined
    if (!job) {
      running = false
      return
    }
    task(...job.args)
      .then(job.resolve, job.reject)
      .finally(next)
  }
  return (...args: A): Promise<T | null> =>
    new Promise((resolve, reject) => {
      waiting?.resolve(null)
      waiting = { args, resolve, reject }
      if (!running) {
        running = true
        next()
      }
    })
}

const never = new AbortController().signal

/** One image open in the editor: previews, full renders, page finding and exports. */
export interface EditSession {
  /** A quick downscaled rendering; null when a newer call replaced this one. */
  preview(recipe: Recipe): Promise<Rendering | null>
  /** A full-resolution rendering; null when a newer call replaced this one. */
  full(recipe: Recipe): Promise<Rendering | null>
  /** The page's corners in the image `recipe` renders, or null when no page is found. */
  findPage(recipe: Recipe): Promise<{ corners: [Point, Point, Point, Point] } | null>
  /** The clockwise rotation (degrees) that levels the text in the image `recipe` renders. */
  measureSkew(recipe: Recipe): Promise<number>
  /** The edited version to store: full resolution, JPEG or PNG. */
  renderVersion(recipe: Recipe): Promise<Rendering>
  exportImage(
    recipe: Recipe,
    type: ExportType,
    quality: number,
    keepMetadata: boolean,
  ): Promise<Blob>
  close(): void
}

/** Opens an image for editing in the preview and full-resolution workers. */
export function openEditSession(imageId: string, original: Blob, orientation: number): EditSession {
  const preview = getOrCreatePool('preview')
  const full = getOrCreatePool('full')
  // Every call re-opens first (free when already open), so a restarted worker recovers. The
  // preview worker keeps only the downscaled copy.
  const on =
    (pool: WorkerPool<TransformApi>, keepFull: boolean) =>
    <T>(fn: (api: Remote<TransformApi>) => Promise<T>) =>
      pool.call(never, async (api) => {
        await api.open(imageId, original, orientation, previewMaxSide, keepFull)
        return fn(api)
      })
  const onPreview = on(preview, false)
  const onFull = on(full, true)
  // Decoding the full image starts now, while the first preview renders; a failure is heard by
  // the caller's own calls.
  onFull(async () => undefined).catch(() => {})
  return {
    preview: latestOnly((recipe: Recipe) =>
      onPreview((api) => api.render(imageId, recipe, 'preview')),
    ),
    full: latestOnly((recipe: Recipe) => onFull((api) => api.render(imageId, recipe, 'full'))),
    findPage: (recipe) => onPreview((api) => api.findPage(imageId, recipe)),
    measureSkew: (recipe) => onPreview((api) => api.measureSkew(imageId, recipe)),
    renderVersion: (recipe) =>
      onFull((api) => api.renderVersion(imageId, original, orientation, recipe)),
    exportImage: (recipe, type, quality, keepMetadata) =>
      onFull((api) =>
        api.exportImage(imageId, original, orientation, recipe, type, quality, keepMetadata),
      ),
    close() {
      preview.broadcast((api) => void api.close())
      full.broadcast((api) => void api.close())
    },
  }
}

/** Renders an image's edited version for a batch, in one of two batch workers. */
export function renderVersion(
  signal: AbortSignal,
  imageId: string,
  original: Blob,
  orientation: number,
  recipe: Recipe,
): Promise<Rendering> {
  return getOrCreatePool('batch').call(signal, (api) =>
    api.renderVersion(imageId, original, orientation, recipe),
  )
}

/** Exports an image (its recipe applied) from a batch worker, for downloads from the library. */
export function exportImage(
  signal: AbortSignal,
  imageId: string,
  original: Blob,
  orientation: number,
  recipe: Recipe,
  options: { type: ExportType; quality: number; keepMetadata: boolean },
): Promise<Blob> {
  return getOrCreatePool('batch').call(signal, (api) =>
    api.exportImage(
      imageId,
      original,
      orientation,
      recipe,
      options.type,
      options.quality,
      options.keepMetadata,
    ),
  )
}

/** Starts, restarts or (with `null`) stops error reporting in the editing workers. */
export function configureTransformTelemetry(config: TelemetryConfig | null): void {
  if (JSON.stringify(config) === JSON.stringify(telemetry)) return
  telemetry = config
  for (const pool of pools.values()) {
    pool.broadcast((api) => void api.configureTelemetry(config).catch(() => {}))
  }
}
