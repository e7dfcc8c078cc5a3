import { attrBool } from '../attrs'
import { requireConst, requireInputs, type Emitter } from '../context'
import { attr } from '../onnx-builder'
import { valuesOf } from '../tensor'
import { normaliseAxis } from './common'

/** Mean / Max / Min / Prod over constant axes; Sum takes its axes as an input from opset 13. */
const reduce =
  (op: string, axesAsInput = false): Emitter =>
  (ctx, node, inputs) => {
    requireInputs(node, inputs, 2)
    const x = inputs[0]!
    const rank = x.shape.length
    const axes = [
      ...new Set(
        valuesOf(requireConst(node, inputs[1], 'axis')).map((a) => normaliseAxis(node, a, rank)),
      ),
    ].sort((a, b) => a - b)
    const keep = attrBool(node, 'keep_dims')
    const shape = keep
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i))
    const keepAttr = attr.int('keepdims', keep ? 1 : 0)
    return axesAsInput
      ? ctx.emit(op, [x, ctx.int64(`${node.name}#axes`, axes)], [keepAttr], {
          name: node.name,
          dtype: x.dtype,
          shape,
        })
      : ctx.emit(op, [x], [attr.ints('axes', axes), keepAttr], {
          name: node.name,
          dtype: x.dtype,
          shape,
        })
  }

export const reduceOps: Record<string, Emitter> = {
  Mean: reduce('ReduceMean'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Prod: reduce('ReduceProd'),
  Sum: reduce('ReduceSum', true),
}
