// Bench-only worker for bench/transform/run.mjs (bundled by it with esbuild): the app's own
// opencv.js loader and applyRecipe, timed with performance.now() inside the worker.
import { applyRecipe } from '../../models/_transform/apply'
import { operationSchema } from '../../models/_transform/recipe'
import type { RgbaImage } from '../../models/types'
import { getOrLoadOpenCv } from '../../workers/runtime/opencv'

type Request =
  | { type: 'load' }
  | { type: 'image'; buffer: ArrayBuffer; width: number; height: number }
  | { type: 'time'; operation: unknown; runs: number }

type Reply =
  { ok: true; ms: number[]; width: number; height: number } | { ok: false; error: string }

let image: RgbaImage | undefined

self.onmessage = async ({ data }: MessageEvent<Request>) => {
  try {
    self.postMessage({ ok: true, ...(await handle(data)) } satisfies Reply)
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    self.postMessage({ ok: false, error: text } satisfies Reply)
  }
}

async function handle(request: Request) {
  if (request.type === 'load') {
    const started = performance.now()
    await getOrLoadOpenCv()
    return { ms: [performance.now() - started], width: 0, height: 0 }
  }
  if (request.type === 'image') {
    const { buffer, width, height } = request
    image = { data: new Uint8ClampedArray(buffer), width, height }
    return { ms: [], width, height }
  }
  if (!image) throw new Error('no image yet')
  const { cv } = await getOrLoadOpenCv()
  // Parsed once, outside the timing, so the schema's defaults apply as in the app.
  const recipe = request.operation === undefined ? [] : [operationSchema.parse(request.operation)]
  const ms: number[] = []
  let out = image
  // One warm-up run, then `runs` timed ones.
  for (let run = 0; run <= request.runs; run++) {
    const started = performance.now()
    out = applyRecipe(cv, image, recipe, { orientation: 1 })
    if (run > 0) ms.push(performance.now() - started)
  }
  return { ms, width: out.width, height: out.height }
}
