import { ConversionError } from '../../errors'
import { attrFloat, attrInt, attrInts, attrString, attrStrings } from '../attrs'
import {
  requireConst,
  requireInputs,
  type ConvertContext,
  type Emitter,
  type Value,
} from '../context'
import type { GraphNode } from '../model-json'
import { attr } from '../onnx-builder'
import { convTransposePadding, tfPadding, windowOutSize, type PaddingMode } from '../padding'
import { permute, type ConstTensor } from '../tensor'
import { requireNhwc, toNchw, toNhwc } from './common'
import { relu6 } from './elementwise'

export function paddingMode(node: GraphNode): PaddingMode {
  const mode = attrString(node, 'padding')
  if (mode !== 'SAME' && mode !== 'VALID' && mode !== 'EXPLICIT') {
    throw new ConversionError(
      `${node.op} node ${node.name}: padding ${mode} is not supported; expected SAME, VALID or EXPLICIT.`,
    )
  }
  return mode
}

/** Strides, dilations and TF padding of a 2-D window op, on H and W. */
export interface Window {
  kernel: [number, number]
  strides: [number, number]
  dilations: [number, number]
  /** ONNX order: [top, left, bottom, right]. */
  pads: [number, number, number, number]
  out: [number, number]
}

/** Window of an NHWC op over an input of shape `inShape`. */
export function windowOf(
  node: GraphNode,
  inShape: readonly number[],
  kernel: [number, number],
): Window {
  const [h, w] = [1, 2]
  const strides4 = attrInts(node, 'strides', [1, 1, 1, 1])
  const dilations4 = attrInts(node, 'dilations', [1, 1, 1, 1])
  const strides: [number, number] = [strides4[h] ?? 1, strides4[w] ?? 1]
  const dilations: [number, number] = [dilations4[h] ?? 1, dilations4[w] ?? 1]
  const mode = paddingMode(node)
  const explicit = attrInts(node, 'explicit_paddings', [])
  const pairFor = (axis: number): [number, number] => [
    explicit[axis * 2] ?? 0,
    explicit[axis * 2 + 1] ?? 0,
  ]
  const [top, bottom] = tfPadding(
    mode,
    inShape[h]!,
    kernel[0],
    strides[0],
    dilations[0],
    pairFor(h),
  )
  const [left, right] = tfPadding(
    mode,
    inShape[w]!,
    kernel[1],
    strides[1],
    dilations[1],
    pairFor(w),
  )
  return {
    kernel,
    strides,
    dilations,
    pads: [top, left, bottom, right],
    out: [
      windowOutSize(inShape[h]!, kernel[0], strides[0], dilations[0], [top, bottom]),
      windowOutSize(inShape[w]!, kernel[1], strides[1], dilations[1], [left, right]),
    ],
  }
}

/** An NHWC value transposed to NCHW, for ONNX's convolutions and pools. */
export const asNchw = (ctx: ConvertContext, x: Value, name: string) =>
  ctx.transpose(x, toNchw, `${name}#nchw`)

/** An NCHW result back in NHWC, named after the node. */
export const fromNchw = (ctx: ConvertContext, y: Value, name: string) =>
  ctx.transpose(y, toNhwc, name)

export type Activation =
  | { kind: 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'tanh' }
  | { kind: 'leakyrelu'; alpha: number }
  | { kind: 'prelu'; alpha: Value }

/**
 * Applies a fused activation to an NCHW value. The PReLU slope, which broadcasts against NHWC,
 * is moved to NCHW (rank 4, channels on axis 1).
 */
export function activate(ctx: ConvertContext, node: GraphNode, x: Value, act: Activation): Value {
  const out = { name: `${node.name}#act`, dtype: x.dtype, shape: x.shape }
  switch (act.kind) {
    case 'linear':
      return x
    case 'relu':
      return ctx.emit('Relu', [x], [], out)
    case 'relu6':
      return relu6(ctx, x, out.name)
    case 'elu':
      return ctx.emit('Elu', [x], [], out)
    case 'sigmoid':
      return ctx.emit('Sigmoid', [x], [], out)
    case 'tanh':
      return ctx.emit('Tanh', [x], [], out)
    case 'leakyrelu':
      return ctx.emit('LeakyRelu', [x], [attr.float('alpha', act.alpha)], out)
    case 'prelu': {
      const alpha = requireConst(node, act.alpha, 'PReLU alpha')
      if (alpha.dims.length > 4) {
        throw new ConversionError(
          `${node.op} node ${node.name}: PReLU alpha of rank ${alpha.dims.length}.`,
        )
      }
      const slope = ctx.derivedConst(`${act.alpha.name}#nchw`, () =>
        permute(
          { ...alpha, dims: [...new Array<number>(4 - alpha.dims.length).fill(1), ...alpha.dims] },
          toNchw,
        ),
      )
      return ctx.emit('PRelu', [x, slope], [], out)
    }
  }
}

/** `fused_ops` and extra inputs of _FusedConv2D / FusedDepthwiseConv2dNative, as TF.js reads them. */
function fusedArgs(node: GraphNode, inputs: readonly Value[]): { bias?: Value; act: Activation } {
  const [first, second] = attrStrings(node, 'fused_ops').map((s) => s.toLowerCase())
  const args = inputs.slice(2, 2 + attrInt(node, 'num_args', inputs.length - 2))
  const hasBias = first === 'biasadd'
  const actName = hasBias ? second : first
  if (
    !hasBias &&
    first !== undefined &&
    !['relu', 'relu6', 'elu', 'sigmoid', 'tanh', 'leakyrelu', 'prelu'].includes(first)
  ) {
    throw new ConversionError(
      `${node.op} node ${node.name}: fused op ${first} is not supported; expected BiasAdd and an activation.`,
    )
  }
  const bias = hasBias ? args[0] : undefined
  switch (actName) {
    case undefined:
      return { bias, act: { kind: 'linear' } }
    case 'relu':
    case 'relu6':
    case 'elu':
    case 'sigmoid':
    case 'tanh':
      return { bias, act: { kind: actName } }
    case 'leakyrelu':
      return { bias, act: { kind: 'leakyrelu', alpha: attrFloat(node, 'leakyrelu_alpha', 0.2) } }
    case 'prelu': {
      const alpha = args[hasBias ? 1 : 0]
      if (!alpha) {
        throw new ConversionError(`${node.op} node ${node.name}: PReLU needs an alpha input.`)
      }
      return { bias, act: { kind: 'prelu', alpha } }
    }
    default:
      throw new ConversionError(
        `${node.op} node ${node.name}: fused activation ${actName} is not supported; expected Relu, Relu6, Elu, Sigmoid, Tanh, LeakyRelu or Prelu.`,
      )
  }
}

function convolution(kind: 'conv' | 'depthwise', fused: boolean): Emitter {
  return (ctx, node, inputs) => {
    requireInputs(node, inputs, 2)
    const [x, filterValue] = inputs as [Value, Value]
    const filter = requireConst(node, filterValue, 'filter')
    if (x.shape.length !== 4 || filter.dims.length !== 4) {
      throw new ConversionError(
        `${node.op} node ${node.name}: expected 4-D input and filter, got [${x.shape}] and [${filter.dims}].`,
      )
    }
    requireNhwc(node)
    const [kh, kw, filterIn, filterOut] = filter.dims as [number, number, number, number]
    const channels = x.shape[3]!
    // Conv2D: [kh, kw, in, out] → [out, in, kh, kw]. Depthwise: [kh, kw, in, mult] → [in·mult, 1, kh, kw].
    const weight = ctx.derivedConst(
      `${filterValue.name}#${kind === 'conv' ? 'oihw' : 'depthwise'}`,
      () => {
        const oihw = permute(filter, kind === 'conv' ? [3, 2, 0, 1] : [2, 3, 0, 1])
        return kind === 'conv' ? oihw : { ...oihw, dims: [filterIn * filterOut, 1, kh, kw] }
      },
    )
    const outChannels = kind === 'conv' ? filterOut : filterIn * filterOut
    const group = kind === 'depthwise' ? filterIn : channels > 0 ? channels / filterIn : 1
    if (!Number.isInteger(group) || group < 1) {
      throw new ConversionError(
        `${node.op} node ${node.name}: ${channels} input channels do not fit a filter of shape [${filter.dims}].`,
      )
    }
    const { bias, act } = fused
      ? fusedArgs(node, inputs)
      : { bias: undefined, act: { kind: 'linear' as const } }
    if (bias && !(bias.const && bias.shape.length === 1 && bias.shape[0] === outChannels)) {
      throw new ConversionError(
        `${node.op} node ${node.name}: bias must be a constant of shape [${outChannels}], got [${bias.shape}].`,
      )
    }
    const win = windowOf(node, x.shape, [kh, kw])
    const xc = asNchw(ctx, x, node.name)
    const conv = ctx.emit(
      'Conv',
      bias ? [xc, weight, bias] : [xc, weight],
      [
        attr.ints('dilations', win.dilations),
        attr.int('group', group),
        attr.ints('kernel_shape', win.kernel),
        attr.ints('pads', win.pads),
        attr.ints('strides', win.strides),
      ],
      {
        name: `${node.name}#conv`,
        dtype: x.dtype,
        shape: [x.shape[0]!, outChannels, ...win.out],
      },
    )
    return fromNchw(ctx, activate(ctx, node, conv, act), node.name)
  }
}

/** Conv2DBackpropInput (a transposed convolution): inputs are output size, filter and gradient. */
const convTranspose: Emitter = (ctx, node, inputs) => {
  requireInputs(node, inputs, 3)
  const outSizes = Array.from(requireConst(node, inputs[0], 'input_sizes').data)
  const filterValue = inputs[1]!
  const filter: ConstTensor = requireConst(node, filterValue, 'filter')
  const x = inputs[2]!
  requireNhwc(node)
  const [h, w] = [1, 2]
  const [kh, kw, outChannels] = filter.dims as [number, number, number, number]
  const strides4 = attrInts(node, 'strides', [1, 1, 1, 1])
  const dilations4 = attrInts(node, 'dilations', [1, 1, 1, 1])
  const explicit = attrInts(node, 'explicit_paddings', [])
  const mode = paddingMode(node)
  const along = (axis: number, k: number) =>
    convTransposePadding(
      mode,
      outSizes[axis]!,
      x.shape[axis]!,
      k,
      strides4[axis] ?? 1,
      dilations4[axis] ?? 1,
      [explicit[axis * 2] ?? 0, explicit[axis * 2 + 1] ?? 0],
    )
  const ph = along(h, kh)
  const pw = along(w, kw)
  // Filter [kh, kw, out, in] → ONNX ConvTranspose [in, out, kh, kw].
  const weight = ctx.derivedConst(`${filterValue.name}#iohw`, () => permute(filter, [3, 2, 0, 1]))
  const y = ctx.emit(
    'ConvTranspose',
    [asNchw(ctx, x, node.name), weight],
    [
      attr.ints('dilations', [dilations4[h] ?? 1, dilations4[w] ?? 1]),
      attr.ints('kernel_shape', [kh, kw]),
      attr.ints('output_padding', [ph.outputPadding, pw.outputPadding]),
      attr.ints('pads', [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]]),
      attr.ints('strides', [strides4[h] ?? 1, strides4[w] ?? 1]),
    ],
    {
      name: `${node.name}#convt`,
      dtype: x.dtype,
      shape: [x.shape[0]!, outChannels, outSizes[h]!, outSizes[w]!],
    },
  )
  return fromNchw(ctx, y, node.name)
}

export const convOps: Record<string, Emitter> = {
  Conv2D: convolution('conv', false),
  _FusedConv2D: convolution('conv', true),
  DepthwiseConv2dNative: convolution('depthwise', false),
  DepthwiseConv2d: convolution('depthwise', false),
  FusedDepthwiseConv2dNative: convolution('depthwise', true),
  Conv2DBackpropInput: convTranspose,
}
