import { defineTask, type RgbaImage, type TaskContext } from '../types'
import { UnsupportedInputError } from '../errors'
import { manifest, scoreFloor, type Options } from './manifest'
import {
  postprocess,
  postprocessMesh,
  type Face,
  type KeypointName,
  type Result,
} from './postprocess'
import { meshCrop, preprocess, preprocessMesh } from './preprocess'

/** Faces in an image, best first: box, 6 keypoints and score, plus a 468-point FaceMesh each. */
async function analyze(image: RgbaImage, options: Options, ctx: TaskContext): Promise<Result> {
  if (image.width < 1 || image.height < 1) {
    throw new UnsupportedInputError(
      `face-detection: the image is ${image.width}×${image.height} pixels; it needs at least 1×1.`,
    )
  }
  const { feeds, meta } = preprocess(image)
  const faces = postprocess(await ctx.run('detector', feeds), meta, {
    minScore: Math.min(options.minScore, scoreFloor),
    maxFaces: options.maxFaces,
  })
  if (!options.mesh || faces.length === 0) return { faces }
  return { faces: await addMeshes(image, faces, ctx) }
}

async function addMeshes(image: RgbaImage, faces: Face[], ctx: TaskContext): Promise<Face[]> {
  const crops = faces.map(({ box, keypoints }) => {
    const eye = (name: KeypointName) => keypoints.find((k) => k.name === name)!
    return meshCrop(box, eye('rightEye'), eye('leftEye'))
  })
  const outputs = await ctx.run('mesh', { input_1: preprocessMesh(image, crops) })
  const meshes = postprocessMesh(outputs, crops)
  return faces.map((face, i) => ({ ...face, ...meshes[i] }))
}

export default defineTask({ manifest, analyze })
