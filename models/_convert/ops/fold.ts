import { ConversionError } from '../../errors'
import { attrDtype } from '../attrs'
import type { GraphNode } from '../model-json'
import { makeTensor, sizeOf, stridesOf, valuesOf, type ConstTensor } from '../tensor'
import { broadcastShapes } from './common'
import { reshapeDims } from './shape'

/** Evaluates a node whose inputs are all constants, in the converter (as TF.js would at run time). */
export type Folder = (node: GraphNode, inputs: readonly ConstTensor[]) => ConstTensor

function elementwise(fn: (a: number, b: number) => number): Folder {
  return (node, [a, b]) => {
    if (!a || !b) throw new ConversionError(`${node.op} node ${node.name} needs two inputs.`)
    if (a.dtype !== b.dtype) {
      throw new ConversionError(`${node.op} node ${node.name} mixes ${a.dtype} and ${b.dtype}.`)
    }
    const dims = broadcastShapes(a.dims, b.dims)
    const n = sizeOf(dims)
    const outStrides = stridesOf(dims)
    const indexIn = (t: ConstTensor, flat: number) => {
      const strides = stridesOf(t.dims)
      const offset = dims.length - t.dims.length
      let i = 0
      for (let d = offset; d < dims.length; d++) {
        const coord = Math.floor(flat / outStrides[d]!) % dims[d]!
        if (t.dims[d - offset] !== 1) i += coord * strides[d - offset]!
      }
      return i
    }
    const values = new Array<number>(n)
    for (let k = 0; k < n; k++) values[k] = fn(a.data[indexIn(a, k)]!, b.data[indexIn(b, k)]!)
    // makeTensor rounds to float32 or truncates to int32, as TF.js stores the result.
    return makeTensor(a.dtype, dims, values)
  }
}

export const folders: Record<string, Folder> = {
  Identity: (_node, [x]) => x!,
  Add: elementwise((a, b) => a + b),
  AddV2: elementwise((a, b) => a + b),
  Sub: elementwise((a, b) => a - b),
  Mul: elementwise((a, b) => a * b),
  Cast: (node, [x]) => {
    const to = attrDtype(node, 'DstT')
    return makeTensor(to, x!.dims, to === 'int32' ? valuesOf(x!).map(Math.trunc) : valuesOf(x!))
  },
  Reshape: (node, [x, shape]) => ({ ...x!, dims: reshapeDims(node, x!.dims, valuesOf(shape!)) }),
  // A dense tensor of `default` with `values` scattered at `indices` (onnx-tf emits these for shapes).
  SparseToDense: (node, [indices, outputShape, values, fallback]) => {
    const dims = valuesOf(outputShape!)
    const out = new Array<number>(sizeOf(dims)).fill(fallback!.data[0]!)
    const strides = stridesOf(dims)
    const rank = indices!.dims.length === 2 ? indices!.dims[1]! : 1
    const count = indices!.dims.length === 0 ? 1 : indices!.dims[0]!
    for (let k = 0; k < count; k++) {
      let flat = 0
      for (let d = 0; d < rank; d++) flat += indices!.data[k * rank + d]! * strides[d]!
      out[flat] = values!.data.length === 1 ? values!.data[0]! : values!.data[k]!
    }
    return makeTensor(values!.dtype, dims, out)
  },
}
