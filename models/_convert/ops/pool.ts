import { ConversionError } from '../../errors'
import { attrInts } from '../attrs'
import { requireInputs, type Emitter, type Value } from '../context'
import { attr } from '../onnx-builder'
import { requireNhwc } from './common'
import { asNchw, fromNchw, windowOf } from './conv'

/** MaxPool / AvgPool. TF's SAME average excludes padding from the count, as ONNX's default. */
const pool =
  (op: 'MaxPool' | 'AveragePool'): Emitter =>
  (ctx, node, inputs) => {
    requireInputs(node, inputs, 1)
    const x = inputs[0] as Value
    if (x.shape.length !== 4) {
      throw new ConversionError(
        `${node.op} node ${node.name}: expected a 4-D input, got [${x.shape}].`,
      )
    }
    requireNhwc(node)
    const ksize = attrInts(node, 'ksize')
    const win = windowOf(node, x.shape, [ksize[1] ?? 1, ksize[2] ?? 1])
    if (win.dilations.some((d) => d !== 1)) {
      throw new ConversionError(`${node.op} node ${node.name}: dilated pooling is not supported.`)
    }
    const xc = asNchw(ctx, x, node.name)
    const out = {
      name: `${node.name}#pool`,
      dtype: x.dtype,
      shape: [x.shape[0]!, x.shape[3]!, ...win.out],
    }
    // A window covering the whole (unpadded) input is a global pool, which runtimes do faster.
    const global =
      win.kernel[0] === x.shape[1] && win.kernel[1] === x.shape[2] && win.pads.every((p) => p === 0)
    const y = global
      ? ctx.emit(op === 'MaxPool' ? 'GlobalMaxPool' : 'GlobalAveragePool', [xc], [], out)
      : ctx.emit(
          op,
          [xc],
          [
            attr.ints('kernel_shape', win.kernel),
            attr.ints('pads', win.pads),
            attr.ints('strides', win.strides),
          ],
          out,
        )
    return fromNchw(ctx, y, node.name)
  }

export const poolOps: Record<string, Emitter> = {
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
}
