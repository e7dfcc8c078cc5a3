import { UnsupportedInputError } from '../errors'
import { defineTask, type RgbaImage, type TaskContext } from '../types'
import { manifest, type Options } from './manifest'
import { postprocess, type Result } from './postprocess'
import { preprocess } from './preprocess'

/** Person mask over the whole image, the share of it that is person, and the people's bounding box. */
async function analyze(image: RgbaImage, options: Options, ctx: TaskContext): Promise<Result> {
  if (image.width < 1 || image.height < 1) {
    throw new UnsupportedInputError(
      `person-segmentation: the image is ${image.width}×${image.height} pixels; it needs at least 1×1.`,
    )
  }
  const { feeds, meta } = preprocess(image)
  return postprocess(await ctx.run('segmenter', feeds), meta, options)
}

export default defineTask({ manifest, analyze })
