import type { OperationId } from '../recipe'
import { adjust } from './adjust'
import { autoOrient } from './auto-orient'
import { blur } from './blur'
import { canny } from './canny'
import { clahe } from './clahe'
import { crop } from './crop'
import { denoise } from './denoise'
import { equalize } from './equalize'
import { flip } from './flip'
import { grayscale } from './grayscale'
import { morphology } from './morphology'
import { perspective } from './perspective'
import { redact } from './redact'
import { resize } from './resize'
import { rotate } from './rotate'
import { sharpen } from './sharpen'
import { threshold } from './threshold'
import type { OperationFn } from './types'
import { whiteBalance } from './white-balance'

/** Every operation's implementation, by id. */
export const operations: { [Id in OperationId]: OperationFn<Id> } = {
  'auto-orient': autoOrient,
  rotate,
  flip,
  crop,
  resize,
  perspective,
  grayscale,
  adjust,
  'white-balance': whiteBalance,
  equalize,
  clahe,
  denoise,
  sharpen,
  blur,
  canny,
  threshold,
  morphology,
  redact,
}
