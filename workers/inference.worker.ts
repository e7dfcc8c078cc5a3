import { expose } from 'comlink'
import { registry, type TaskId } from '../models'
import type { Task, TaskContext } from '../models/types'
import { createDecodeCache, decodeForAnalysis } from './runtime/decode'
import { fetchModelFile } from './runtime/model-cache'
import { getOrLoadOpenCv } from './runtime/opencv'
import {
  createSession,
  resolveRuntime,
  type RuntimeInfo,
  type RuntimeOptions,
  type Session,
} from './runtime/ort'
import { TelemetryTestError, type TelemetryConfig } from './telemetry/config'
import { takeCounters, type WorkerCounters } from './telemetry/counters'
import { configureSentry, sentryConfigured } from './telemetry/sentry'

/** Long side of person cut-outs and blurred-background exports, in pixels. */
const exportMaxSide = 4096

type PersonMask = { width: number; height: number; data: Uint8Array }

/** Long side of the image tasks see, in pixels: enough for OCR on a page, small enough for memory. */
const analysisMaxSide = 2048

// Two: a worker runs two calls at once, usually two tasks of one image.
const decode = createDecodeCache(2, analysisMaxSide)

interface Loaded {
  task: Task<object, unknown>
  context: TaskContext
  sessions: Session[]
}

let runtime: Promise<RuntimeInfo> | undefined
const loaded = new Map<TaskId, Promise<Loaded>>()

function getOrResolveRuntime(options: RuntimeOptions): Promise<RuntimeInfo> {
  runtime ??= resolveRuntime(options)
  runtime.catch(() => (runtime = undefined))
  return runtime
}

/** Bytes of a task's model files in hand (cached or downloaded) against their total. */
export interface LoadProgress {
  task: TaskId
  receivedBytes: number
  totalBytes: number
}

/**
 * Loads a task's code, model files and opencv.js once; a failed load is forgotten so the next
 * call retries. Only the call that starts the load hears its progress.
 */
function load(
  id: TaskId,
  options: RuntimeOptions,
  onProgress?: (progress: LoadProgress) => void,
): Promise<Loaded> {
  let entry = loaded.get(id)
  if (!entry) {
    entry = (async () => {
      const info = await getOrResolveRuntime(options)
      const { default: task } = (await registry[id].load()) as { default: Task<object, unknown> }
      const sessions = new Map<string, Session>()
      const texts = new Map<string, string>()
      const files = Object.entries(task.manifest.files)
      const received = new Map<string, number>()
      const totalBytes = files.reduce((sum, [, file]) => sum + file.bytes, 0)
      const report = (role: string, bytes: number) => {
        received.set(role, bytes)
        let receivedBytes = 0
        for (const value of received.values()) receivedBytes += value
        onProgress?.({ task: id, receivedBytes, totalBytes })
      }
      // Downloads (or cache reads) and opencv.js overlap; sessions are then created one by one.
      const [openCv, fetched] = await Promise.all([
        task.manifest.needsOpenCv ? getOrLoadOpenCv() : undefined,
        Promise.all(
          files.map(async ([role, file]) => ({
            role,
            file,
            bytes: await fetchModelFile(file, (bytes) => report(role, bytes)),
          })),
        ),
      ])
      const cv = openCv?.cv
      for (const { role, file, bytes } of fetched) {
        if (file.kind === 'text') texts.set(role, new TextDecoder().decode(bytes))
        else sessions.set(role, await createSession(info, file.file, bytes))
      }
      const context: TaskContext = {
        run(role, feeds) {
          const session = sessions.get(role)
          if (!session) throw new Error(`${id} has no model with role "${role}".`)
          return session.run(feeds)
        },
        async text(role) {
          const text = texts.get(role)
          if (text === undefined) throw new Error(`${id} has no text file with role "${role}".`)
          return text
        },
        cv,
      }
      return { task, context, sessions: [...sessions.values()] }
    })()
    entry.catch(() => loaded.delete(id))
    loaded.set(id, entry)
  }
  return entry
}

export interface AnalysisRun {
  result: unknown
  /** The provider the task's models actually ran on (WASM when WebGPU fell back; `js` without a model). */
  provider: RuntimeInfo['provider'] | 'js'
  threads: number
  version: string
  /** Pre-processing, inference and post-processing of this image. */
  durationMs: number
  /** Decoding (and scaling) the image before that; near 0 when another task of it just did. */
  decodeMs: number
  /** Size of the image the task saw; result coordinates are in its pixels. */
  imageSize: { width: number; height: number }
  /** This worker's cache and fallback counts since its last answer, for performance telemetry. */
  counters: WorkerCounters
}

// The test error is reported like any uncaught error but is no failure of the worker: cancelling
// it keeps it from reaching the pool, which would retire the worker as crashed.
self.addEventListener('error', (event) => {
  if (event.error instanceof TelemetryTestError) event.preventDefault()
})

const api = {
  /** The runtime this worker uses (resolved on first call). */
  runtime: (options: RuntimeOptions) => getOrResolveRuntime(options),

  /** Downloads and compiles a task's models ahead of the first `analyze`. */
  async prepare(
    id: TaskId,
    options: RuntimeOptions,
    onProgress?: (progress: LoadProgress) => void,
  ): Promise<WorkerCounters> {
    await load(id, options, onProgress)
    return takeCounters()
  },

  /** Starts, restarts or (with `null`) stops error reporting in this worker. */
  configureTelemetry: (config: TelemetryConfig | null) => configureSentry(config, 'worker'),

  /** Throws an uncaught TelemetryTestError here once error reporting is set up, for "Send a test error". */
  async throwTestError(note: string): Promise<void> {
    await sentryConfigured()
    setTimeout(() => {
      throw new TelemetryTestError(
        `Test error from an analysis worker (${note}). Reports never carry file names such as holiday-photo.jpg.`,
      )
    })
  },

  /**
   * A person cut-out (transparent background) or the photo with its background blurred, as a
   * PNG at up to `exportMaxSide` px, from a stored person-segmentation mask.
   */
  async composePerson(kind: 'cutout' | 'blur', original: Blob, mask: PersonMask): Promise<Blob> {
    const { cutout, blurBackground } = await import('../models/person-segmentation/compose')
    const image = await decodeForAnalysis(original, exportMaxSide)
    const radius = Math.max(4, Math.round(Math.max(image.width, image.height) / 80))
    const out = kind === 'cutout' ? cutout(image, mask) : blurBackground(image, mask, radius)
    const canvas = new OffscreenCanvas(out.width, out.height)
    canvas
      .getContext('2d')!
      .putImageData(new ImageData(new Uint8ClampedArray(out.data), out.width, out.height), 0, 0)
    return canvas.convertToBlob({ type: 'image/png' })
  },

  /** Decode → pre-process → run → post-process one image (`imageId` keys the decode cache) for one task. */
  async analyze(
    id: TaskId,
    imageId: string,
    original: Blob,
    taskOptions: object,
    options: RuntimeOptions,
    onProgress?: (progress: LoadProgress) => void,
  ): Promise<AnalysisRun> {
    const entry = await load(id, options, onProgress)
    const info = await getOrResolveRuntime(options)
    const decodeStarted = performance.now()
    const image = await decode(imageId, original)
    const started = performance.now()
    const resolved = { ...entry.task.manifest.defaultOptions, ...taskOptions }
    const result = await entry.task.analyze(image, resolved, entry.context)
    const { sessions } = entry
    return {
      result,
      provider:
        sessions.length === 0
          ? 'js'
          : sessions.every((s) => s.provider === 'webgpu')
            ? 'webgpu'
            : 'wasm',
      threads: info.threads,
      version: entry.task.manifest.version,
      durationMs: performance.now() - started,
      decodeMs: started - decodeStarted,
      imageSize: { width: image.width, height: image.height },
      counters: takeCounters(),
    }
  },
}

/** What `inference-client.ts` can call in an inference worker. */
export type InferenceApi = typeof api

expose(api)
