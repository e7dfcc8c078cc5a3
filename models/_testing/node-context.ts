import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as ort from 'onnxruntime-node'
import type { OpenCv } from '../_shared/opencv'
import type { TaskContext, TaskManifest, Tensors } from '../types'

const modelsDir = new URL('../../public/models/', import.meta.url).pathname

/** Path of a prepared model file (written by `npm run models`). */
export const modelPath = (file: string) => `${modelsDir}${file}`

/**
 * A TaskContext backed by onnxruntime-node and the files `npm run models` prepared, for model
 * tests and the native reference in benchmarks.
 */
export async function createNodeContext(manifest: TaskManifest<unknown>): Promise<TaskContext> {
  const sessions = new Map<string, ort.InferenceSession>()
  for (const [role, file] of Object.entries(manifest.files)) {
    if (file.kind === 'onnx') {
      sessions.set(
        role,
        await ort.InferenceSession.create(modelPath(file.file), { logSeverityLevel: 3 }),
      )
    }
  }
  return {
    async run(role, feeds) {
      const session = sessions.get(role)
      if (!session) throw new Error(`No ONNX file with role "${role}" in ${manifest.id}`)
      const inputs: Record<string, ort.Tensor> = {}
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
