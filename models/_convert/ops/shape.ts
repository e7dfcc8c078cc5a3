import { ConversionError } from '../../errors'
import { attrInt, attrInts, attrString } from '../attrs'
import { requireConst, requireInputs, type Emitter, type Value } from '../context'
import type { GraphNode } from '../model-json'
import { attr } from '../onnx-builder'
import { sizeOf, valuesOf } from '../tensor'
import { normaliseAxis } from './common'

/** Dims of a reshape to `target`, resolving one -1 when the input size is known. */
export function reshapeDims(
  node: GraphNode,
  input: readonly number[],
  target: readonly number[],
): number[] {
  if (target.includes(0)) {
    // ONNX reads 0 as "copy this dim", TF as an empty axis.
    throw new ConversionError(
      `${node.op} node ${node.name}: reshape to [${target}] with a zero dim is not supported.`,
    )
  }
  const unknown = target.indexOf(-1)
  if (unknown < 0 || input.some((d) => d < 0)) return [...target]
  const known = sizeOf(target.filter((_, i) => i !== unknown))
  return target.map((d, i) => (i === unknown ? sizeOf(input) / known : d))
}

const reshape: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 2)
  const x = inputs[0]!
  const target = valuesOf(requireConst(node, inputs[1], 'shape'))
  const dims = reshapeDims(node, x.shape, target)
  return ctx.emit('Reshape', [x, ctx.int64(`${node.name}#shape`, target)], [], {
    name: node.name,
    dtype: x.dtype,
    shape: dims,
  })
}

const transpose: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 2)
  const perm = valuesOf(requireConst(node, inputs[1], 'perm'))
  return ctx.transpose(inputs[0]!, perm, node.name)
}

function concat(
  node: GraphNode,
  values: readonly Value[],
  axisValue: Value | undefined,
): { axis: number; shape: number[] } {
  const rank = values[0]!.shape.length
  const axis = normaliseAxis(node, valuesOf(requireConst(node, axisValue, 'axis'))[0]!, rank)
  const shape = [...values[0]!.shape]
  const sizes = values.map((v) => v.shape[axis]!)
  shape[axis] = sizes.some((s) => s < 0) ? -1 : sizes.reduce((a, b) => a + b, 0)
  return { axis, shape }
}

const concatV2: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 2)
  const values = inputs.slice(0, -1)
  const { axis, shape } = concat(node, values, inputs.at(-1))
  return ctx.emit('Concat', values, [attr.int('axis', axis)], {
    name: node.name,
    dtype: values[0]!.dtype,
    shape,
  })
}

/** Output names of a multi-output node: TF's `name`, `name:1`, `name:2`… */
const outputNames = (node: GraphNode, n: number) =>
  Array.from({ length: n }, (_, i) => (i === 0 ? node.name : `${node.name}:${i}`))

function split(
  ctx: Parameters<Emitter>[0],
  node: GraphNode,
  x: Value,
  axisIn: number,
  sizes: number[],
): Value[] {
  const axis = normaliseAxis(node, axisIn, x.shape.length)
  const dim = x.shape[axis]!
  const unknown = sizes.indexOf(-1)
  if (unknown >= 0) {
    if (dim < 0) {
      throw new ConversionError(
        `${node.op} node ${node.name}: a -1 split size needs a static axis.`,
      )
    }
    sizes[unknown] = dim - sizes.reduce((a, b) => a + (b < 0 ? 0 : b), 0)
  }
  const names = outputNames(node, sizes.length)
  return ctx.emitMulti(
    'Split',
    [x, ctx.int64(`${node.name}#split`, sizes)],
    [attr.int('axis', axis)],
    sizes.map((s, i) => ({
      name: names[i]!,
      dtype: x.dtype,
      shape: x.shape.map((d, a) => (a === axis ? s : d)),
    })),
  )
}

const splitV: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 3)
  const sizes = valuesOf(requireConst(node, inputs[1], 'size_splits'))
  const axis = valuesOf(requireConst(node, inputs[2], 'split_dim'))[0]!
  return split(ctx, node, inputs[0]!, axis, sizes)
}

const splitEven: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 2)
  const axisIn = valuesOf(requireConst(node, inputs[0], 'split_dim'))[0]!
  const x = inputs[1]!
  const n = attrInt(node, 'num_split')
  const dim = x.shape[normaliseAxis(node, axisIn, x.shape.length)]!
  if (dim < 0 || dim % n !== 0) {
    throw new ConversionError(
      `${node.op} node ${node.name}: cannot split ${dim} into ${n} equal parts.`,
    )
  }
  return split(ctx, node, x, axisIn, new Array<number>(n).fill(dim / n))
}

const pad =
  (mode: 'constant' | 'mirror'): Emitter =>
  (ctx, node, inputs) => {
    requireInputs(node, inputs, 2)
    const x = inputs[0]!
    const paddings = valuesOf(requireConst(node, inputs[1], 'paddings'))
    const rank = x.shape.length
    if (paddings.length !== rank * 2) {
      throw new ConversionError(
        `${node.op} node ${node.name}: paddings [${paddings}] do not fit rank ${rank}.`,
      )
    }
    const before = paddings.filter((_, i) => i % 2 === 0)
    const after = paddings.filter((_, i) => i % 2 === 1)
    const onnxInputs: (Value | '')[] = [x, ctx.int64(`${node.name}#pads`, [...before, ...after])]
    const attrs = []
    if (mode === 'mirror') {
      const tfMode = attrString(node, 'mode')
      // ONNX `reflect` excludes the edge, as TF's REFLECT; TF's SYMMETRIC has no ONNX equivalent.
      if (tfMode !== 'REFLECT') {
        throw new ConversionError(
          `MirrorPad node ${node.name}: mode ${tfMode} is not supported; expected REFLECT.`,
        )
      }
      attrs.push(attr.string('mode', 'reflect'))
    } else if (inputs[2]) {
      const fill = requireConst(node, inputs[2], 'constant_values')
      if (fill.data.length !== 1) {
        throw new ConversionError(`${node.op} node ${node.name}: constant_values must be a scalar.`)
      }
      onnxInputs.push(inputs[2])
    }
    return ctx.emit('Pad', onnxInputs, attrs, {
      name: node.name,
      dtype: x.dtype,
      shape: x.shape.map((d, i) => (d < 0 ? -1 : d + before[i]! + after[i]!)),
    })
  }

const squeeze: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 1)
  const x = inputs[0]!
  const rank = x.shape.length
  let axes = attrInts(node, 'squeeze_dims', []).map((a) => normaliseAxis(node, a, rank))
  if (axes.length === 0) {
    if (x.shape.some((d) => d < 0)) {
      throw new ConversionError(
        `Squeeze node ${node.name}: squeezing all unit axes needs a static shape.`,
      )
    }
    axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
  }
  return ctx.emit('Squeeze', [x, ctx.int64(`${node.name}#axes`, axes)], [], {
    name: node.name,
    dtype: x.dtype,
    shape: x.shape.filter((_, i) => !axes.includes(i)),
  })
}

const expandDims: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 2)
  const x = inputs[0]!
  const axis = normaliseAxis(
    node,
    valuesOf(requireConst(node, inputs[1], 'axis'))[0]!,
    x.shape.length + 1,
  )
  const shape = [...x.shape]
  shape.splice(axis, 0, 1)
  return ctx.emit('Unsqueeze', [x, ctx.int64(`${node.name}#axes`, [axis])], [], {
    name: node.name,
    dtype: x.dtype,
    shape,
  })
}

const pack: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 1)
  const rank = inputs[0]!.shape.length + 1
  const axis = normaliseAxis(node, attrInt(node, 'axis', 0), rank)
  const axes = ctx.int64(`${node.name}#axes`, [axis])
  const expanded = inputs.map((v, i) => {
    const shape = [...v.shape]
    shape.splice(axis, 0, 1)
    return ctx.emit('Unsqueeze', [v, axes], [], {
      name: `${node.name}#${i}`,
      dtype: v.dtype,
      shape,
    })
  })
  const shape = [...expanded[0]!.shape]
  shape[axis] = inputs.length
  return ctx.emit('Concat', expanded, [attr.int('axis', axis)], {
    name: node.name,
    dtype: inputs[0]!.dtype,
    shape,
  })
}

export const shapeOps: Record<string, Emitter> = {
  Reshape: reshape,
  Transpose: transpose,
  ConcatV2: concatV2,
  SplitV: splitV,
  Split: splitEven,
  Pad: pad('constant'),
  PadV2: pad('constant'),
  MirrorPad: pad('mirror'),
  Squeeze: squeeze,
  ExpandDims: expandDims,
  Pack: pack,
}
