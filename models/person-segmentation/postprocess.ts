import type { Box } from '../_shared/boxes'
import { TaskOutputError } from '../errors'
import type { Tensors } from '../types'
import { inputSize, type Meta } from './preprocess'

/** A person-probability map over the whole image (stretched to it), row-major, 0–255 for 0–1. */
export interface Mask {
  width: number
  height: number
  data: Uint8Array
}

export interface Result {
  mask: Mask
  /** Share of the image's pixels that are person (probability above the threshold), 0–1. */
  coverage: number
  /** Image pixels around everything above the threshold; absent when nothing is. */
  box?: Box
}

/** Raw selfie output [1,256,256,1] of probabilities (the model applies the sigmoid) → mask, coverage and box. */
export function postprocess(outputs: Tensors, meta: Meta, options: { threshold: number }): Result {
  const output = Object.values(outputs).find(
    (t) =>
      t.dims.length === 4 && t.dims[1] === inputSize && t.dims[2] === inputSize && t.dims[3] === 1,
  )
  if (!output || !(output.data instanceof Float32Array)) {
    const got = Object.entries(outputs)
      .map(([name, t]) => `${name} ${t.data.constructor.name}[${t.dims.join(',')}]`)
      .join(', ')
    throw new TaskOutputError(
      `person-segmentation: expected a float32 output of shape [1,${inputSize},${inputSize},1]; got ${got || 'none'}.`,
    )
  }
  const probabilities = output.data
  const data = new Uint8Array(inputSize * inputSize)
  let count = 0
  let minX = inputSize
  let minY = inputSize
  let maxX = -1
  let maxY = -1
  for (let i = 0; i < data.length; i++) {
    const p = probabilities[i]!
    data[i] = Math.round(Math.min(1, Math.max(0, p)) * 255)
    if (p <= options.threshold) continue
    count++
    const x = i % inputSize
    const y = (i - x) / inputSize
    minX = Math.min(minX, x)
    maxX = Math.max(maxX, x)
    minY = Math.min(minY, y)
    maxY = Math.max(maxY, y)
  }
  const mask = { width: inputSize, height: inputSize, data }
  // Every mask cell stands for the same share of the image, so the cell share is the pixel share.
  const coverage = Math.round((count / data.length) * 1e4) / 1e4
  if (count === 0) return { mask, coverage }
  const sx = meta.width / inputSize
  const sy = meta.height / inputSize
  const round = (v: number) => Math.round(v * 10) / 10
  const box = {
    x: round(minX * sx),
    y: round(minY * sy),
    width: round((maxX + 1 - minX) * sx),
    height: round((maxY + 1 - minY) * sy),
  }
  return { mask, coverage, box }
}
