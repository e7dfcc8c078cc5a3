import * as tf from '@tensorflow/tfjs'
import type { WeightSpec } from './model-json'
import { decodeWeights, float16ToFloat32 } from './weights'

const u16 = (values: number[]) => new Uint8Array(Uint16Array.from(values).buffer)

describe(float16ToFloat32, () => {
  it('decodes normal, subnormal and special half floats', () => {
    expect(float16ToFloat32(0x3c00)).toBe(1)
    expect(float16ToFloat32(0xc000)).toBe(-2)
    expect(float16ToFloat32(0x3555)).toBe(0.333251953125)
    expect(float16ToFloat32(0x7bff)).toBe(65504)
    expect(float16ToFloat32(0x0001)).toBe(2 ** -24)
    expect(float16ToFloat32(0x03ff)).toBe(1023 * 2 ** -24)
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true)
    expect(float16ToFloat32(0x7c00)).toBe(Infinity)
    expect(float16ToFloat32(0xfc00)).toBe(-Infinity)
    expect(float16ToFloat32(0x7e00)).toBeNaN()
  })

  it('agrees with tfjs-core on all 65536 bit patterns', () => {
    const all = Array.from({ length: 65536 }, (_, i) => i)
    const spec = {
      name: 'h',
      shape: [65536],
      dtype: 'float32' as const,
      quantization: { dtype: 'float16' as const },
    }
    const expected = tf.io.decodeWeights(u16(all).buffer, [spec]).h!.dataSync()
    const actual = decodeWeights([spec], u16(all)).get('h')!.data
    expect(Array.from(actual)).toEqual(Array.from(expected))
  })
})

describe(decodeWeights, () => {
  it('dequantises uint8 as value · scale + min', () => {
    const spec: WeightSpec = {
      name: 'q',
      shape: [2, 2],
      dtype: 'float32',
      quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
    }
    const t = decodeWeights([spec], Uint8Array.from([0, 1, 2, 255])).get('q')!
    expect(t.dims).toEqual([2, 2])
    expect(Array.from(t.data)).toEqual([-1, -0.5, 0, 126.5])
  })

  it('rounds uint16-quantised int32 weights and matches tfjs-core for uint8 floats', () => {
    const ints: WeightSpec = {
      name: 'i',
      shape: [3],
      dtype: 'int32',
      quantization: { dtype: 'uint16', scale: 0.3, min: 1 },
    }
    expect(Array.from(decodeWeights([ints], u16([0, 5, 1000])).get('i')!.data)).toEqual([1, 3, 301])
    const floats: WeightSpec = {
      name: 'f',
      shape: [4],
      dtype: 'float32',
      quantization: { dtype: 'uint8', scale: 0.0123, min: -0.77 },
    }
    const bytes = Uint8Array.from([0, 17, 128, 255])
    const expected = tf.io
      .decodeWeights(bytes.slice().buffer, [floats as tf.io.WeightsManifestEntry])
      .f!.dataSync()
    expect(Array.from(decodeWeights([floats], bytes).get('f')!.data)).toEqual(Array.from(expected))
  })

  it('reads consecutive float32, int32 and float16 weights at their offsets', () => {
    const bytes = new Uint8Array(4 + 8 + 2 + 0)
    const view = new DataView(bytes.buffer)
    view.setFloat32(0, 1.5, true)
    view.setInt32(4, -7, true)
    view.setInt32(8, 9, true)
    view.setUint16(12, 0x3c00, true)
    const weights = decodeWeights(
      [
        { name: 'a', shape: [], dtype: 'float32' },
        { name: 'b', shape: [2], dtype: 'int32' },
        { name: 'c', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } },
        { name: 'empty', shape: [0, 1], dtype: 'int32' },
      ],
      bytes,
    )
    expect(Array.from(weights.get('a')!.data)).toEqual([1.5])
    expect(weights.get('b')!.dtype).toBe('int32')
    expect(Array.from(weights.get('b')!.data)).toEqual([-7, 9])
    expect(Array.from(weights.get('c')!.data)).toEqual([1])
    expect(weights.get('empty')!.dims).toEqual([0, 1])
  })

  it('refuses shards shorter or longer than the manifest', () => {
    const spec: WeightSpec = { name: 'a', shape: [2], dtype: 'float32' }
    expect(() => decodeWeights([spec], new Uint8Array(4))).toThrow(/needs bytes 0…8/)
    expect(() => decodeWeights([spec], new Uint8Array(12))).toThrow(/use 8 bytes/)
  })

  it('refuses unknown dtypes by name', () => {
    expect(() =>
      decodeWeights([{ name: 'c', shape: [1], dtype: 'complex64' }], new Uint8Array(8)),
    ).toThrow(
      expect.objectContaining({
        name: 'ConversionError',
        message: expect.stringContaining('complex64'),
      }),
    )
  })
})
