import { ConversionError } from '../errors'

export type DType = 'float32' | 'int32' | 'bool'

/** A constant tensor held by the converter: a decoded weight or a folded value. */
export interface ConstTensor {
  readonly dtype: DType
  readonly dims: readonly number[]
  readonly data: Float32Array | Int32Array | Uint8Array
}

export const sizeOf = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1)

export function makeTensor(
  dtype: DType,
  dims: readonly number[],
  values: ArrayLike<number>,
): ConstTensor {
  const data =
    dtype === 'float32'
      ? Float32Array.from(values)
      : dtype === 'int32'
        ? Int32Array.from(values)
        : Uint8Array.from(values)
  if (data.length !== sizeOf(dims)) {
    throw new ConversionError(`Tensor of shape [${dims}] cannot hold ${data.length} values.`)
  }
  return { dtype, dims: [...dims], data }
}

/** Row-major strides of a shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length)
  let s = 1
  for (let i = dims.length - 1; i >= 0; i--) {
    strides[i] = s
    s *= dims[i]!
  }
  return strides
}

/** Transposes a constant: output dim i is input dim perm[i] (as ONNX Transpose and tf.transpose). */
export function permute(t: ConstTensor, perm: readonly number[]): ConstTensor {
  if (perm.length !== t.dims.length) {
    throw new ConversionError(`Permutation [${perm}] does not fit a tensor of shape [${t.dims}].`)
  }
  const inStrides = stridesOf(t.dims)
  const dims = perm.map((p) => t.dims[p]!)
  const n = sizeOf(dims)
  const out = new (t.data.constructor as new (n: number) => typeof t.data)(n)
  const index = new Array<number>(dims.length).fill(0)
  const step = perm.map((p) => inStrides[p]!)
  let from = 0
  for (let i = 0; i < n; i++) {
    out[i] = t.data[from]!
    for (let d = dims.length - 1; d >= 0; d--) {
      index[d]!++
      from += step[d]!
      if (index[d]! < dims[d]!) break
      from -= step[d]! * dims[d]!
      index[d] = 0
    }
  }
  return { dtype: t.dtype, dims, data: out }
}

/** Numbers of a constant, for attributes and shape arguments. */
export const valuesOf = (t: ConstTensor): number[] => Array.from(t.data)

/** Composes two permutations: transposing by `first` then by `second`. */
export const composePerms = (first: readonly number[], second: readonly number[]) =>
  second.map((p) => first[p]!)

export const isIdentityPerm = (perm: readonly number[]) => perm.every((p, i) => p === i)
