import { TaskOutputError } from '../errors'
import {
  defineTask,
  type RgbaImage,
  type TaskContext,
  type Tensors,
  type TensorLike,
} from '../types'
import { manifest, type Options } from './manifest'
import {
  boundingBox,
  ctcDecode,
  extractRegions,
  joinText,
  parseKeys,
  readingOrder,
  type Line,
  type TextResult,
} from './postprocess'
import { cropLines, detectionInput, planBatches, recognitionInput } from './preprocess'

/**
 * Finds lines of text and reads them: PP-OCRv4 detection, a perspective crop per line, then
 * PP-OCRv4 recognition in batches.
 *
 * @example
 * const { text, lines } = await task.analyze(image, manifest.defaultOptions, ctx)
 */
async function analyze(image: RgbaImage, options: Options, ctx: TaskContext): Promise<TextResult> {
  const cv = ctx.cv
  if (!cv) throw new Error('text-recognition needs opencv.js in ctx.cv')
  const { input, meta } = detectionInput(image, options.maxSide)
  const map = single(await ctx.run('detector', { x: input }))
  const regions = extractRegions(cv, map, meta, options.minBoxScore)
  if (regions.length === 0) return { lines: [], text: '' }

  const keys = parseKeys(await ctx.text('keys'))
  const crops = cropLines(
    cv,
    image,
    regions.map((region) => region.polygon),
  )
  const read: { text: string; score: number }[] = []
  for (const batch of planBatches(crops)) {
    const output = single(
      await ctx.run('recognizer', { x: recognitionInput(batch.map((i) => crops[i]!)) }),
    )
    if (output.dims[0] !== batch.length) {
      throw new TaskOutputError(
        `text-recognition: expected ${batch.length} recognizer results, got ` +
          `[${output.dims.join(',')}]`,
      )
    }
    ctcDecode(output, keys).forEach((result, k) => (read[batch[k]!] = result))
  }

  const kept: Omit<Line, 'row'>[] = []
  regions.forEach((region, i) => {
    const { text, score } = read[i]!
    if (score < options.minScore || text.trim() === '') return
    kept.push({
      text,
      score,
      polygon: region.polygon,
      box: boundingBox(region.polygon),
      detScore: region.score,
    })
  })
  const lines = readingOrder(kept)
  return { lines, text: joinText(lines) }
}

function single(outputs: Tensors): TensorLike {
  const values = Object.values(outputs)
  if (values.length !== 1) {
    throw new TaskOutputError(
      `text-recognition: expected one model output, got ${values.length}: ` +
        Object.keys(outputs).join(', '),
    )
  }
  return values[0]!
}

export default defineTask({ manifest, analyze })
