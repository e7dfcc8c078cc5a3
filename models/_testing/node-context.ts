import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as ortNode from 'onnxruntime-node'
import type * as OrtWeb from 'onnxruntime-web'
import type { OpenCv } from '../_shared/opencv'
import type { TaskContext, TaskManifest, Tensors } from '../types'

const modelsDir = new URL('../../public/models/', import.meta.url).pathname

/** Path of a prepared model file (written by `npm run models`). */
export const modelPath = (file: string) => `${modelsDir}${file}`

/** Both packages export onnxruntime-common's API; this is the part a context uses. */
type Ort = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>

export interface NodeContextOptions {
  /**
   * `native`: onnxruntime-node, default session options (intra-op threads = physical cores).
   * `wasm`: onnxruntime-web's Node build, which runs the same .wasm as the browser, with the
   * app's session options.
   */
  backend?: 'native' | 'wasm'
  /** WASM threads (default 2); `wasm` only. */
  threads?: number
}

/**
 * A TaskContext backed by the files `npm run models` prepared, for model tests and benchmarks:
 * onnxruntime-node by default, or onnxruntime-web's WASM in Node as a control for the browser.
 */
export async function createNodeContext(
  manifest: TaskManifest<unknown>,
  { backend = 'native', threads = 2 }: NodeContextOptions = {},
): Promise<TaskContext> {
  const ort: Ort = backend === 'wasm' ? await loadOrtWeb(threads) : ortNode
  const sessions = new Map<string, OrtWeb.InferenceSession>()
  for (const [role, file] of Object.entries(manifest.files)) {
    if (file.kind !== 'onnx') continue
    const session =
      backend === 'wasm'
        ? await ort.InferenceSession.create(readFileSync(modelPath(file.file)), {
            executionProviders: ['wasm'],
            graphOptimizationLevel: 'all',
            logSeverityLevel: 3,
          })
        : await ort.InferenceSession.create(modelPath(file.file), { logSeverityLevel: 3 })
    sessions.set(role, session)
  }
  return {
    async run(role, feeds) {
      const session = sessions.get(role)
      if (!session) throw new Error(`No ONNX file with role "${role}" in ${manifest.id}`)
      const inputs: Record<string, OrtWeb.Tensor> = {}
      for (const [name, t] of Object.entries(feeds)) {
        inputs[name] = new ort.Tensor(t.data, [...t.dims])
      }
      const outputs = await session.run(inputs)
      const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {}
      for (const [name, t] of Object.entries(outputs)) {
        out[name] = { data: t.data as Float32Array, dims: t.dims }
      }
      return out as Tensors
    },
    async text(role) {
      const file = manifest.files[role]
      if (!file) throw new Error(`No file with role "${role}" in ${manifest.id}`)
      return readFileSync(modelPath(file.file), 'utf8')
    },
    cv: manifest.needsOpenCv ? (await loadOpenCv()).cv : undefined,
  }
}

let ortWeb: { threads: number; module: Promise<typeof OrtWeb> } | undefined

/**
 * onnxruntime-web (its Node build). `env.wasm.numThreads` is global and read when the WASM
 * starts, at the first session, so one process runs ORT-web with one thread count.
 */
function loadOrtWeb(threads: number): Promise<typeof OrtWeb> {
  if (ortWeb && ortWeb.threads !== threads) {
    throw new Error(
      `onnxruntime-web already runs with ${ortWeb.threads} threads in this process, not ${threads}`,
    )
  }
  ortWeb ??= {
    threads,
    module: import('onnxruntime-web').then((ort) => {
      ort.env.wasm.numThreads = threads
      ort.env.logLevel = 'error'
      return ort
    }),
  }
  return ortWeb.module
}

let openCv: Promise<{ cv: OpenCv }> | undefined

/** opencv.js in Node. Its module object is a thenable, so it travels wrapped in a plain object. */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  openCv ??= new Promise((resolve) => {
    const cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv
    const runtime = cv as unknown as { Mat?: unknown; onRuntimeInitialized?: () => void }
    if (runtime.Mat) resolve({ cv })
    else runtime.onRuntimeInitialized = () => resolve({ cv })
  })
  return openCv
}
