import { ConversionError } from '../../errors'
import { attrString } from '../attrs'
import type { GraphNode } from '../model-json'

/** NumPy broadcasting of two shapes (-1 unknown), as both TF and ONNX apply it. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1
    const y = b[b.length - rank + i] ?? 1
    if (x === 1) out.push(y)
    else if (y === 1 || x === y) out.push(x)
    else if (x === -1 || y === -1) out.push(Math.max(x, y))
    else throw new ConversionError(`Shapes [${a}] and [${b}] do not broadcast.`)
  }
  return out
}

/** An axis in 0…rank-1 from a TF axis that may count from the end. */
export function normaliseAxis(node: GraphNode, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= rank) {
    throw new ConversionError(
      `${node.op} node ${node.name}: axis ${axis} is out of range for rank ${rank}.`,
    )
  }
  return a
}

/**
 * Convolutions and pools must be NHWC: TF.js reads their strides as NHWC whatever `data_format`
 * says, so an NCHW graph has no single meaning to reproduce.
 */
export function requireNhwc(node: GraphNode): void {
  const format = attrString(node, 'data_format', 'NHWC')
  if (format !== 'NHWC') {
    throw new ConversionError(
      `${node.op} node ${node.name}: data_format ${format} is not supported; expected NHWC.`,
    )
  }
}

export const toNchw = [0, 3, 1, 2] as const
export const toNhwc = [0, 2, 3, 1] as const
