import { ConversionError } from '../errors'
import type { GraphNode } from './model-json'
import { attr as onnxAttr, type Attr, type GraphBuilder } from './onnx-builder'
import { composePerms, isIdentityPerm, makeTensor, type ConstTensor, type DType } from './tensor'

/** A tensor of the TF graph during conversion: an ONNX value, or a constant not yet emitted. */
export interface Value {
  /** ONNX value name; for a constant, the initializer name it gets on first use. */
  readonly name: string
  readonly dtype: DType
  /** Dims, -1 where unknown (a dynamic batch). */
  readonly shape: readonly number[]
  readonly const?: ConstTensor
}

/** Turns one TF node into ONNX nodes; returns the node's outputs in TF output order. */
export type Emitter = (
  ctx: ConvertContext,
  node: GraphNode,
  inputs: readonly Value[],
) => Value | Value[]

export const constValue = (name: string, tensor: ConstTensor): Value => ({
  name,
  dtype: tensor.dtype,
  shape: tensor.dims,
  const: tensor,
})

/** Shared state of one conversion, with helpers for emitters. */
export class ConvertContext {
  /** Values made by Transpose nodes: their source and permutation, to cancel transpose pairs. */
  private readonly transposed = new Map<string, { source: Value; perm: readonly number[] }>()
  private readonly transposeCache = new Map<string, Value>()
  private readonly derived = new Map<string, Value>()

  constructor(readonly graph: GraphBuilder) {}

  /** ONNX name of a value, emitting a constant as an initializer on first use. */
  ref(value: Value): string {
    return value.const ? this.graph.addInitializer(value.name, value.const) : value.name
  }

  /** Emits one single-output node and describes its output. */
  emit(
    op: string,
    inputs: readonly (Value | '')[],
    attrs: Attr[],
    out: { name: string; dtype: DType; shape: readonly number[] },
  ): Value {
    const name = this.graph.unique(out.name)
    this.graph.addNode(
      op,
      inputs.map((v) => (v === '' ? '' : this.ref(v))),
      [name],
      attrs,
    )
    return { name, dtype: out.dtype, shape: out.shape }
  }

  /** Emits a node with several outputs. */
  emitMulti(
    op: string,
    inputs: readonly Value[],
    attrs: Attr[],
    outs: readonly { name: string; dtype: DType; shape: readonly number[] }[],
  ): Value[] {
    const names = outs.map((o) => this.graph.unique(o.name))
    this.graph.addNode(
      op,
      inputs.map((v) => this.ref(v)),
      names,
      attrs,
    )
    return outs.map((o, i) => ({ name: names[i]!, dtype: o.dtype, shape: o.shape }))
  }

  /** An int64 initializer (ONNX shape, pads, axes and split arguments). */
  int64(name: string, values: readonly number[], dims: readonly number[] = [values.length]): Value {
    const tensor = makeTensor('int32', dims, values)
    const unique = this.graph.addInitializer(this.graph.freeName(name), tensor, true)
    // Already emitted: no `const`, so `ref` does not add it again.
    return { name: unique, dtype: 'int32', shape: tensor.dims }
  }

  /** A float32 scalar initializer, shared by every use of the same number. */
  scalar(value: number): Value {
    const key = `scalar:${value}`
    let v = this.derived.get(key)
    if (!v) {
      // TF node names never contain '#', so names made of '#' keys cannot collide with them.
      v = constValue(`#f32:${value}`, makeTensor('float32', [], [value]))
      this.derived.set(key, v)
    }
    return v
  }

  /** A constant derived from another (a transposed filter…), computed once per key. */
  derivedConst(key: string, make: () => ConstTensor): Value {
    let v = this.derived.get(key)
    if (!v) {
      v = constValue(key, make())
      this.derived.set(key, v)
    }
    return v
  }

  /**
   * Transposes a value. A transpose of a transpose is emitted as one, from the original source,
   * and one that cancels out returns the source itself: wrapping every NHWC convolution in a
   * pair of transposes then leaves one transpose per layout change, not two per op.
   */
  transpose(value: Value, perm: readonly number[], name: string): Value {
    let source = value
    let combined = perm
    const inner = this.transposed.get(value.name)
    if (inner) {
      source = inner.source
      combined = composePerms(inner.perm, perm)
    }
    if (isIdentityPerm(combined)) return source
    const key = `${source.name}|${combined.join(',')}`
    const cached = this.transposeCache.get(key)
    if (cached) return cached
    const out = this.emit('Transpose', [source], [onnxAttr.ints('perm', combined)], {
      name,
      dtype: source.dtype,
      shape: combined.map((p) => source.shape[p]!),
    })
    this.transposed.set(out.name, { source, perm: combined })
    this.transposeCache.set(key, out)
    return out
  }
}

/** The constant behind an input that must be constant (filters, shapes, axes). */
export function requireConst(node: GraphNode, value: Value | undefined, what: string): ConstTensor {
  if (!value) throw new ConversionError(`${node.op} node ${node.name} has no ${what} input.`)
  if (!value.const) {
    throw new ConversionError(
      `${node.op} node ${node.name}: ${what} must be a constant, not computed in the graph.`,
    )
  }
  return value.const
}

/** Fails unless the node has at least `n` data inputs. */
export function requireInputs(node: GraphNode, inputs: readonly Value[], n: number): void {
  if (inputs.length < n) {
    throw new ConversionError(
      `${node.op} node ${node.name} has ${inputs.length} inputs; expected ${n}.`,
    )
  }
}
