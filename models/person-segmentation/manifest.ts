import type { TaskManifest } from '../types'

export interface Options {
  /** Mask probability (0–1) above which a pixel counts as person, for coverage and the box. */
  threshold: number
}

export const manifest = {
  id: 'person-segmentation',
  label: 'People mask',
  description:
    'Separates people from the background with MediaPipe Selfie segmentation, for cut-outs and background blur.',
  version: '1.0.0',
  files: {
    segmenter: {
      file: 'selfie-256.onnx',
      kind: 'onnx',
      sha256: '0608bf0ca295aab98ef8be1ad8b6ef96648620bbb74718c41985511eee0119b8',
      bytes: 459_772,
      source: {
        package: 'human-models',
        path: 'package/models/selfie.json',
        convert: 'tfjs-graph',
      },
      licence: 'Apache-2.0 (MediaPipe)',
      input: 'f32[1,256,256,3] RGB/255',
    },
  },
  needsOpenCv: false,
  defaultOptions: { threshold: 0.5 },
} satisfies TaskManifest<Options>
