import type { Emitter } from '../context'
import { convOps } from './conv'
import { elementwiseOps } from './elementwise'
import { poolOps } from './pool'
import { reduceOps } from './reduce'
import { resizeOps } from './resize'
import { shapeOps } from './shape'

/** Every TF op the converter emits ONNX for (Const, Placeholder and folding are handled by the walk). */
export const emitters: Readonly<Record<string, Emitter>> = {
  ...convOps,
  ...elementwiseOps,
  ...poolOps,
  ...reduceOps,
  ...resizeOps,
  ...shapeOps,
}

export { folders } from './fold'
