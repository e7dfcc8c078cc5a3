import type { TaskManifest } from '../types'

export interface Options {
  /** Clusters for the dominant-colour k-means (integer 1–16); merging near-equal ones may return fewer. */
  colourCount: number
}

export const manifest = {
  id: 'image-properties',
  label: 'Image properties',
  description:
    'Dominant colours, brightness, contrast, exposure, sharpness, noise and a perceptual hash, measured without a model.',
  version: '1.0.0',
  files: {},
  needsOpenCv: false,
  defaultOptions: { colourCount: 5 },
} satisfies TaskManifest<Options>
