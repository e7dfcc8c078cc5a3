import { ConversionError } from '../../errors'
import { attrFloat } from '../attrs'
import type { ConvertContext, Emitter, Value } from '../context'
import { requireInputs } from '../context'
import type { GraphNode } from '../model-json'
import { attr } from '../onnx-builder'
import { broadcastShapes, requireNhwc } from './common'

function checkSameType(node: GraphNode, inputs: readonly Value[]): void {
  if (inputs.some((v) => v.dtype !== inputs[0]!.dtype)) {
    throw new ConversionError(
      `${node.op} node ${node.name} mixes ${inputs.map((v) => v.dtype).join(' and ')} inputs.`,
    )
  }
}

const binary =
  (op: string): Emitter =>
  (ctx, node, inputs) => {
    requireInputs(node, inputs, 2)
    const [a, b] = inputs as [Value, Value]
    checkSameType(node, [a, b])
    return ctx.emit(op, [a, b], [], {
      name: node.name,
      dtype: a.dtype,
      shape: broadcastShapes(a.shape, b.shape),
    })
  }

const unary =
  (op: string, attrs: (node: GraphNode) => ReturnType<typeof attr.float>[] = () => []): Emitter =>
  (ctx, node, inputs) => {
    requireInputs(node, inputs, 1)
    const x = inputs[0]!
    return ctx.emit(op, [x], attrs(node), { name: node.name, dtype: x.dtype, shape: x.shape })
  }

/** Relu6 is Clip to [0, 6]. */
export function relu6(ctx: ConvertContext, x: Value, name: string): Value {
  return ctx.emit('Clip', [x, ctx.scalar(0), ctx.scalar(6)], [], {
    name,
    dtype: x.dtype,
    shape: x.shape,
  })
}

export const elementwiseOps: Record<string, Emitter> = {
  Add: binary('Add'),
  AddV2: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Div: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Pow: binary('Pow'),
  BiasAdd: (ctx, node, inputs) => {
    // TF.js runs BiasAdd as a plain broadcast add, so only NHWC (bias on the last axis) is valid.
    requireNhwc(node)
    return binary('Add')(ctx, node, inputs)
  },
  SquaredDifference: (ctx, node, inputs) => {
    requireInputs(node, inputs, 2)
    const [a, b] = inputs as [Value, Value]
    const shape = broadcastShapes(a.shape, b.shape)
    const d = ctx.emit('Sub', [a, b], [], { name: `${node.name}#diff`, dtype: a.dtype, shape })
    return ctx.emit('Mul', [d, d], [], { name: node.name, dtype: a.dtype, shape })
  },
  AddN: (ctx, node, inputs) => {
    requireInputs(node, inputs, 1)
    checkSameType(node, inputs)
    const shape = inputs.map((v) => v.shape).reduce(broadcastShapes)
    return ctx.emit('Sum', inputs, [], { name: node.name, dtype: inputs[0]!.dtype, shape })
  },
  Identity: (_ctx, node, inputs) => {
    requireInputs(node, inputs, 1)
    return inputs[0]!
  },
  Abs: unary('Abs'),
  Elu: unary('Elu'),
  Exp: unary('Exp'),
  Floor: unary('Floor'),
  Log: unary('Log'),
  Neg: unary('Neg'),
  Relu: unary('Relu'),
  Sigmoid: unary('Sigmoid'),
  Softplus: unary('Softplus'),
  Sqrt: unary('Sqrt'),
  Tanh: unary('Tanh'),
  Rsqrt: (ctx, node, inputs) => {
    requireInputs(node, inputs, 1)
    const x = inputs[0]!
    const root = ctx.emit('Sqrt', [x], [], {
      name: `${node.name}#sqrt`,
      dtype: x.dtype,
      shape: x.shape,
    })
    return ctx.emit('Reciprocal', [root], [], { name: node.name, dtype: x.dtype, shape: x.shape })
  },
  Square: (ctx, node, inputs) => {
    requireInputs(node, inputs, 1)
    const x = inputs[0]!
    return ctx.emit('Mul', [x, x], [], { name: node.name, dtype: x.dtype, shape: x.shape })
  },
  Relu6: (ctx, node, inputs) => {
    requireInputs(node, inputs, 1)
    return relu6(ctx, inputs[0]!, node.name)
  },
  LeakyRelu: unary('LeakyRelu', (node) => [attr.float('alpha', attrFloat(node, 'alpha', 0.2))]),
  Prelu: binary('PRelu'),
  // TF's Softmax is over the last axis, as ONNX's from opset 13.
  Softmax: unary('Softmax', () => [attr.int('axis', -1)]),
}
