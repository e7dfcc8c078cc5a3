import { ConversionError } from '../../errors'
import { attrBool } from '../attrs'
import { requireConst, requireInputs, type Emitter } from '../context'
import type { GraphNode } from '../model-json'
import { attr, type Attr } from '../onnx-builder'
import { makeTensor } from '../tensor'
import { toNchw, toNhwc } from './common'

/**
 * ONNX Resize attributes reproducing TF's sampling grid:
 * - half_pixel_centers: source = (dst + 0.5)·in/out − 0.5 (ONNX `half_pixel`); for nearest, TF
 *   takes floor((dst + 0.5)·in/out), which is `half_pixel` rounded with `round_prefer_ceil`;
 * - align_corners: source = dst·(in − 1)/(out − 1), nearest rounds half up;
 * - neither: source = dst·in/out, nearest floors (`asymmetric`).
 */
export function resizeAttrs(node: GraphNode, mode: 'linear' | 'nearest'): Attr[] {
  const alignCorners = attrBool(node, 'align_corners')
  const halfPixel = attrBool(node, 'half_pixel_centers')
  if (alignCorners && halfPixel) {
    throw new ConversionError(
      `${node.op} node ${node.name}: align_corners and half_pixel_centers cannot both be set.`,
    )
  }
  const transform = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric'
  const attrs = [
    attr.string('coordinate_transformation_mode', transform),
    attr.string('mode', mode),
  ]
  if (mode === 'nearest') {
    attrs.push(
      attr.string('nearest_mode', alignCorners || halfPixel ? 'round_prefer_ceil' : 'floor'),
    )
  }
  return attrs
}

const resize =
  (mode: 'linear' | 'nearest'): Emitter =>
  (ctx, node, inputs) => {
    requireInputs(node, inputs, 2)
    const x = inputs[0]!
    const [height, width] = Array.from(requireConst(node, inputs[1], 'size').data) as [
      number,
      number,
    ]
    if (x.shape.length !== 4) {
      throw new ConversionError(
        `${node.op} node ${node.name}: expected NHWC input, got [${x.shape}].`,
      )
    }
    const xc = ctx.transpose(x, toNchw, `${node.name}#nchw`)
    const [n, c, inH, inW] = xc.shape as [number, number, number, number]
    let sizing
    if (n > 0 && c > 0) {
      sizing = ['', ctx.int64(`${node.name}#sizes`, [n, c, height, width])] as const
    } else {
      if (inH < 0 || inW < 0) {
        throw new ConversionError(`${node.op} node ${node.name} needs a static input size.`)
      }
      const scales = ctx.derivedConst(`${node.name}#scales`, () =>
        makeTensor('float32', [4], [1, 1, height / inH, width / inW]),
      )
      sizing = [scales] as const
    }
    const y = ctx.emit('Resize', [xc, '', ...sizing], resizeAttrs(node, mode), {
      name: `${node.name}#resize`,
      dtype: x.dtype,
      shape: [n, c, height, width],
    })
    return ctx.transpose(y, toNhwc, node.name)
  }

export const resizeOps: Record<string, Emitter> = {
  ResizeBilinear: resize('linear'),
  ResizeNearestNeighbor: resize('nearest'),
}
