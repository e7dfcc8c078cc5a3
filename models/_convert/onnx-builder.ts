import onnxProto from 'onnx-proto'
import { ConversionError } from '../errors'
import type { ConstTensor, DType } from './tensor'

const { onnx } = onnxProto
const AttributeType = onnx.AttributeProto.AttributeType
const DataType = onnx.TensorProto.DataType

export type Attr = onnxProto.onnx.IAttributeProto

/** ONNX node attributes; `type` must be set or runtimes reject the model. */
export const attr = {
  int: (name: string, i: number): Attr => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): Attr => ({
    name,
    type: AttributeType.INTS,
    ints: [...ints],
  }),
  float: (name: string, f: number): Attr => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): Attr => ({
    name,
    type: AttributeType.STRING,
    s: new TextEncoder().encode(s),
  }),
}

/** A graph input or output: name, element type, and dims (-1 unknown, shown as `N` on axis 0). */
export interface ValueInfo {
  name: string
  dtype: DType
  shape: readonly number[]
}

interface Node {
  op: string
  name: string
  inputs: string[]
  outputs: string[]
  attrs: Attr[]
}

interface Initializer {
  tensor: ConstTensor
  /** Store int32 data as int64 (shape arguments of ONNX ops). */
  int64: boolean
}

const elemType: Record<DType, number> = {
  float32: DataType.FLOAT,
  int32: DataType.INT32,
  bool: DataType.BOOL,
}

function rawBytes({ tensor, int64 }: Initializer): Uint8Array {
  const n = tensor.data.length
  if (int64) {
    const view = new DataView(new ArrayBuffer(n * 8))
    for (let i = 0; i < n; i++) view.setBigInt64(i * 8, BigInt(tensor.data[i]!), true)
    return new Uint8Array(view.buffer)
  }
  if (tensor.dtype === 'bool') return Uint8Array.from(tensor.data)
  const view = new DataView(new ArrayBuffer(n * 4))
  for (let i = 0; i < n; i++) {
    if (tensor.dtype === 'float32') view.setFloat32(i * 4, tensor.data[i]!, true)
    else view.setInt32(i * 4, tensor.data[i]!, true)
  }
  return new Uint8Array(view.buffer)
}

function typeProto({ dtype, shape }: ValueInfo): onnxProto.onnx.ITypeProto {
  return {
    tensorType: {
      elemType: elemType[dtype],
      shape: {
        dim: shape.map((d, i) => (d >= 0 ? { dimValue: d } : i === 0 ? { dimParam: 'N' } : {})),
      },
    },
  }
}

/**
 * An ONNX graph under construction. Everything is kept in insertion order and named
 * deterministically, so the same conversion always encodes to the same bytes.
 */
export class GraphBuilder {
  private readonly nodes: Node[] = []
  private readonly initializers = new Map<string, Initializer>()
  private readonly taken = new Set<string>()

  /** `base` if unused, else `base_1`, `base_2`…; not reserved. */
  freeName(base: string): string {
    let name = base
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`
    return name
  }

  /** `freeName(base)`, reserved. */
  unique(base: string): string {
    const name = this.freeName(base)
    this.taken.add(name)
    return name
  }

  isTaken(name: string): boolean {
    return this.taken.has(name)
  }

  /** Adds a node; output names must come from `unique`. */
  addNode(
    op: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Attr[] = [],
  ): void {
    this.nodes.push({ op, name: outputs[0]!, inputs: [...inputs], outputs: [...outputs], attrs })
  }

  /** Adds (once) a named initializer and returns its name. */
  addInitializer(name: string, tensor: ConstTensor, int64 = false): string {
    const existing = this.initializers.get(name)
    if (existing) {
      if (existing.int64 !== int64) {
        throw new ConversionError(`Constant ${name} is used both as int64 and ${tensor.dtype}.`)
      }
      return name
    }
    if (this.taken.has(name)) throw new ConversionError(`Name ${name} is used twice in the graph.`)
    this.taken.add(name)
    this.initializers.set(name, { tensor, int64 })
    return name
  }

  /** Renames a value everywhere it appears. */
  rename(from: string, to: string): void {
    if (this.taken.has(to)) throw new ConversionError(`Cannot rename ${from} to ${to}: name taken.`)
    this.taken.delete(from)
    this.taken.add(to)
    for (const node of this.nodes) {
      node.inputs = node.inputs.map((n) => (n === from ? to : n))
      node.outputs = node.outputs.map((n) => (n === from ? to : n))
      if (node.name === from) node.name = to
    }
  }

  /** Whether `name` is the output of some node (as opposed to an input or initializer). */
  isNodeOutput(name: string): boolean {
    return this.nodes.some((n) => n.outputs.includes(name))
  }

  /** Drops nodes and initializers that no output depends on. */
  prune(outputs: readonly string[]): void {
    const live = new Set(outputs)
    const keep = new Array<boolean>(this.nodes.length).fill(false)
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!
      if (node.outputs.some((o) => live.has(o))) {
        keep[i] = true
        for (const input of node.inputs) live.add(input)
      }
    }
    const nodes = this.nodes.filter((_, i) => keep[i])
    this.nodes.length = 0
    this.nodes.push(...nodes)
    for (const name of [...this.initializers.keys()]) {
      if (!live.has(name)) this.initializers.delete(name)
    }
  }

  get nodeCount(): number {
    return this.nodes.length
  }

  /** Serialises the model (IR 8, opset 13). */
  encode(
    graphName: string,
    inputs: readonly ValueInfo[],
    outputs: readonly ValueInfo[],
  ): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      producerName: 'sightline tfjs-graph converter',
      graph: {
        name: graphName,
        node: this.nodes.map((n) => ({
          name: n.name,
          opType: n.op,
          input: n.inputs,
          output: n.outputs,
          attribute: n.attrs,
        })),
        initializer: [...this.initializers].map(([name, init]) => ({
          name,
          dims: [...init.tensor.dims],
          dataType: init.int64 ? DataType.INT64 : elemType[init.tensor.dtype],
          rawData: rawBytes(init),
        })),
        input: inputs.map((v) => ({ name: v.name, type: typeProto(v) })),
        output: outputs.map((v) => ({ name: v.name, type: typeProto(v) })),
      },
    })
    return new Uint8Array(onnx.ModelProto.encode(model).finish())
  }
}
