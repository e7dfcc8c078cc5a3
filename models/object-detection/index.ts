import { UnsupportedInputError } from '../errors'
import { defineTask, type RgbaImage, type TaskContext } from '../types'
import { manifest, scoreFloor, type Options } from './manifest'
import { postprocess, type Result } from './postprocess'
import { preprocess } from './preprocess'

/** Boxes of a class overlapping a better one of the same class above this IoU are dropped. */
const iouThreshold = 0.5

/** COCO objects in the image, best first, and the labels to tag it with. */
async function analyze(image: RgbaImage, options: Options, ctx: TaskContext): Promise<Result> {
  if (image.width < 1 || image.height < 1) {
    throw new UnsupportedInputError(
      `object-detection: the image is ${image.width}×${image.height} pixels; it needs at least 1×1.`,
    )
  }
  const { feeds, meta } = preprocess(image)
  return postprocess(await ctx.run('detector', feeds), meta, {
    minScore: Math.min(options.minScore, scoreFloor),
    iouThreshold,
    maxObjects: options.maxObjects,
    tagScore: options.tagScore,
  })
}

export default defineTask({ manifest, analyze })
