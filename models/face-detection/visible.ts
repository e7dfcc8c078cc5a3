import type { Face } from './postprocess'

/**
 * FaceMesh presence below this means the detector found something that is not a face (MediaPipe
 * drops such faces at 0.5). BlazeFace alone scores the cat in chelsea.png 0.78; its mesh 0.0015.
 */
export const meshPresenceMin = 0.5

/** Whether a stored face is shown at a confidence floor: the detector's score and, when FaceMesh ran, its presence. */
export function isShownFace(face: Pick<Face, 'score' | 'meshScore'>, minScore: number): boolean {
  return face.score >= minScore && (face.meshScore ?? 1) >= meshPresenceMin
}
