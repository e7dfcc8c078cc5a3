import type { TaskManifest } from '../types'

export interface Options {
  /** Objects scoring below this (0–1) are hidden by default; the result keeps them down to `scoreFloor`. */
  minScore: number
  /** Objects need at least this score (0–1) for their label to become one of the image's tags. */
  tagScore: number
  /** At most this many objects, best first. */
  maxObjects: number
}

/** The result keeps objects down to this score, so a confidence slider can show them later. */
export const scoreFloor = 0.2

export const manifest = {
  id: 'object-detection',
  label: 'Objects',
  description:
    'Finds and boxes everyday objects of 80 kinds (people, animals, vehicles, furniture, food…) with NanoDet-m, and tags the image with them.',
  version: '1.1.0',
  files: {
    detector: {
      file: 'nanodet-m-416.onnx',
      kind: 'onnx',
      sha256: '6e16f316852cdc6e9809ee3b988551ed86166b1884914aa0d1c447defad55100',
      bytes: 15_185_599,
      source: {
        package: 'human-models',
        path: 'package/models/nanodet.json',
        convert: 'tfjs-graph',
      },
      licence: 'Apache-2.0 (NanoDet)',
      input: 'f32[1,3,416,416] BGR, (x − mean) / std',
    },
  },
  needsOpenCv: false,
  // minScore 0.4 and tagScore 0.5: see README ("Thresholds") for the scores seen on real photos.
  defaultOptions: { minScore: 0.4, tagScore: 0.5, maxObjects: 100 },
} satisfies TaskManifest<Options>
