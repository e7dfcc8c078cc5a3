import { ConversionError } from '../errors'
import type { WeightSpec } from './model-json'
import { sizeOf, type ConstTensor } from './tensor'

const bytesPerValue: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
}

/** IEEE 754 half-precision bits → float32, exactly as tfjs-core's table-driven `getFloat16Decoder`. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const mantissa = bits & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

/**
 * Decodes the concatenated weight shards of a TF.js graph model into float32 / int32 / bool
 * tensors by name, following tfjs-core `io.decodeWeights`: specs are laid out back to back in
 * manifest order; `quantization` uint8/uint16 means `value · scale + min` (rounded for int32),
 * float16 means half floats. Strings are skipped (no op here consumes them).
 */
export function decodeWeights(
  specs: readonly WeightSpec[],
  bytes: Uint8Array,
): Map<string, ConstTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Map<string, ConstTensor>()
  let offset = 0
  for (const spec of specs) {
    const n = sizeOf(spec.shape)
    if (spec.dtype === 'string') {
      for (let i = 0; i < n; i++) offset += 4 + view.getUint32(offset, true)
      continue
    }
    const q = spec.quantization
    const stored = q ? q.dtype : spec.dtype
    const width = bytesPerValue[stored]
    if (width === undefined || (q && !['uint8', 'uint16', 'float16'].includes(q.dtype))) {
      throw new ConversionError(
        `Weight ${spec.name} has unsupported dtype "${stored}"; expected float32, int32, bool, or quantized uint8, uint16, float16.`,
      )
    }
    if (offset + n * width > bytes.byteLength) {
      throw new ConversionError(
        `Weight ${spec.name} needs bytes ${offset}…${offset + n * width} but the shards hold ${bytes.byteLength}.`,
      )
    }
    out.set(spec.name, decodeOne(spec, view, offset, n))
    offset += n * width
  }
  if (offset !== bytes.byteLength) {
    throw new ConversionError(
      `Weights use ${offset} bytes but the shards hold ${bytes.byteLength}.`,
    )
  }
  return out
}

function decodeOne(spec: WeightSpec, view: DataView, offset: number, n: number): ConstTensor {
  const dims = [...spec.shape]
  const q = spec.quantization
  if (q) {
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32') {
        throw new ConversionError(
          `Weight ${spec.name}: float16 quantization needs dtype float32, not ${spec.dtype}.`,
        )
      }
      const data = new Float32Array(n)
      for (let i = 0; i < n; i++) data[i] = float16ToFloat32(view.getUint16(offset + i * 2, true))
      return { dtype: 'float32', dims, data }
    }
    if (q.scale === undefined || q.min === undefined) {
      throw new ConversionError(
        `Weight ${spec.name} is ${q.dtype}-quantized without scale and min.`,
      )
    }
    const read =
      q.dtype === 'uint8'
        ? (i: number) => view.getUint8(offset + i)
        : (i: number) => view.getUint16(offset + i * 2, true)
    if (spec.dtype === 'float32') {
      const data = new Float32Array(n)
      for (let i = 0; i < n; i++) data[i] = read(i) * q.scale + q.min
      return { dtype: 'float32', dims, data }
    }
    if (spec.dtype === 'int32') {
      const data = new Int32Array(n)
      for (let i = 0; i < n; i++) data[i] = Math.round(read(i) * q.scale + q.min)
      return { dtype: 'int32', dims, data }
    }
    throw new ConversionError(
      `Weight ${spec.name}: ${q.dtype} quantization of ${spec.dtype} is not supported.`,
    )
  }
  if (spec.dtype === 'float32') {
    const data = new Float32Array(n)
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(offset + i * 4, true)
    return { dtype: 'float32', dims, data }
  }
  if (spec.dtype === 'int32') {
    const data = new Int32Array(n)
    for (let i = 0; i < n; i++) data[i] = view.getInt32(offset + i * 4, true)
    return { dtype: 'int32', dims, data }
  }
  const data = new Uint8Array(n)
  for (let i = 0; i < n; i++) data[i] = view.getUint8(offset + i)
  return { dtype: 'bool', dims, data }
}
