// Builds small TF.js graph models in memory for the converter's tests.
import * as tf from '@tensorflow/tfjs'
import type { AttrValue, GraphNode, WeightSpec } from './model-json'

const b64 = (s: string) => btoa(s)

/** TF.js model.json attribute values. */
export const tfAttr = {
  i: (i: number): AttrValue => ({ i: String(i) }),
  f: (f: number): AttrValue => ({ f }),
  b: (b: boolean): AttrValue => ({ b }),
  s: (s: string): AttrValue => ({ s: b64(s) }),
  ints: (list: readonly number[]): AttrValue => ({ list: { i: list.map(String) } }),
  strings: (list: readonly string[]): AttrValue => ({ list: { s: list.map(b64) } }),
  type: (t: string): AttrValue => ({ type: t }),
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function randomValues(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n)
  let s = seed
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647
    out[i] = (s / 2147483647) * 2 - 1
  }
  return out
}

/** A TF.js graph model under construction: placeholders, float32/int32 constants and ops. */
export class TestGraph {
  readonly nodes: GraphNode[] = []
  private readonly specs: WeightSpec[] = []
  private readonly chunks: Uint8Array[] = []

  input(name: string, shape: readonly number[]): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: {
        dtype: tfAttr.type('DT_FLOAT'),
        shape: { shape: { dim: shape.map((size) => ({ size: String(size) })) } },
      },
    })
    return name
  }

  const(
    name: string,
    shape: readonly number[],
    values: ArrayLike<number>,
    dtype: 'float32' | 'int32' = 'float32',
  ): string {
    const data = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values)
    this.nodes.push({
      name,
      op: 'Const',
      attr: { dtype: tfAttr.type(dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32') },
    })
    this.specs.push({ name, shape: [...shape], dtype })
    this.chunks.push(new Uint8Array(data.buffer))
    return name
  }

  op(
    op: string,
    name: string,
    inputs: readonly string[],
    attr: Record<string, AttrValue> = {},
  ): string {
    this.nodes.push({ name, op, input: [...inputs], attr: { T: tfAttr.type('DT_FLOAT'), ...attr } })
    return name
  }

  /** model.json (outputs in the signature when given) and the weight bytes. */
  build(outputs?: readonly string[]): { json: object; weights: Uint8Array } {
    const weights = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0))
    let offset = 0
    for (const chunk of this.chunks) {
      weights.set(chunk, offset)
      offset += chunk.length
    }
    const json = {
      format: 'graph-model',
      modelTopology: { node: this.nodes, versions: {} },
      weightsManifest: [{ paths: ['weights.bin'], weights: this.specs }],
      ...(outputs && {
        signature: {
          outputs: Object.fromEntries(
            outputs.map((o) => [`${o}:0`, { name: `${o}:0`, dtype: 'DT_FLOAT' }]),
          ),
        },
      }),
    }
    return { json, weights }
  }
}

/** Loads a model built by TestGraph into TF.js (whose backend the caller has set). */
export function loadTfjs({
  json,
  weights,
}: {
  json: object
  weights: Uint8Array
}): Promise<tf.GraphModel> {
  const model = json as {
    modelTopology: object
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]
  }
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.slice().buffer,
    }),
  })
}
