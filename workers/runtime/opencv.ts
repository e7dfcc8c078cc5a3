import { ModelLoadError } from '../../models/errors'
import type { OpenCv } from '../../models/_shared/opencv'

/** Served by our own origin; copied from @techstark/opencv-js by `npm run models`. */
const openCvUrl = '/vendor/opencv.js'

let loading: Promise<{ cv: OpenCv }> | undefined

/**
 * opencv.js, loaded once per worker on first use (11 MB, ≈ 1.3 s). Its UMD wrapper cannot run as
 * a module and its module object is a thenable (awaiting it directly hangs forever), so it is
 * evaluated with a CommonJS-style `module` and handed out wrapped in a plain object.
 */
export function getOrLoadOpenCv(): Promise<{ cv: OpenCv }> {
  loading ??= (async () => {
    const response = await fetch(openCvUrl)
    if (!response.ok) {
      throw new ModelLoadError(`Could not load opencv.js: the server answered ${response.status}.`)
    }
    const source = await response.text()
    const commonJs: { exports: unknown } = { exports: {} }
    new Function('module', 'exports', source)(commonJs, commonJs.exports)
    const cv = commonJs.exports as OpenCv
    const runtime = cv as unknown as { Mat?: unknown; onRuntimeInitialized?: () => void }
    if (!runtime.Mat) await new Promise<void>((resolve) => (runtime.onRuntimeInitialized = resolve))
    return { cv }
  })()
  loading.catch(() => (loading = undefined))
  return loading
}
