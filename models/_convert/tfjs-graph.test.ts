import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { randomValues, tfAttr as a, TestGraph } from './test-graph'
import { convertTfjsGraph, convertTfjsGraphFile } from './tfjs-graph'

const { onnx } = onnxProto
const decode = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes)
const opTypes = (bytes: Uint8Array) => decode(bytes).graph!.node!.map((n) => n.opType)

const convAttrs = { padding: a.s('SAME'), strides: a.ints([1, 1, 1, 1]), data_format: a.s('NHWC') }

/** x → conv → conv → conv → y, NHWC. */
function convChain(batch = 1) {
  const g = new TestGraph()
  g.input('x', [batch, 6, 6, 2])
  let last = 'x'
  for (let i = 0; i < 3; i++) {
    last = g.op(
      'Conv2D',
      `conv${i}`,
      [last, g.const(`f${i}`, [3, 3, 2, 2], randomValues(36, i + 1))],
      convAttrs,
    )
  }
  g.op('Identity', 'Identity', [last])
  return g.build(['Identity'])
}

describe(convertTfjsGraph, () => {
  it('converts the same graph to the same bytes twice', () => {
    const model = convChain()
    const first = convertTfjsGraph(model.json, model.weights)
    const second = convertTfjsGraph(structuredClone(model.json), model.weights.slice())
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true)
  })

  it('writes an opset 13 model with the producer name', () => {
    const { json, weights } = convChain()
    const model = decode(convertTfjsGraph(json, weights))
    expect(model.producerName).toBe('sightline tfjs-graph converter')
    expect(Number(model.irVersion)).toBe(8)
    expect(Number(model.opsetImport![0]!.version)).toBe(13)
  })

  it('leaves one transpose each way around a chain of NHWC convolutions', () => {
    const { json, weights } = convChain()
    expect(opTypes(convertTfjsGraph(json, weights))).toEqual([
      'Transpose',
      'Conv',
      'Conv',
      'Conv',
      'Transpose',
    ])
  })

  it('keeps an unknown batch as a symbolic N that runs with any batch', async () => {
    const { json, weights } = convChain(-1)
    const bytes = convertTfjsGraph(json, weights)
    const input = decode(bytes).graph!.input![0]!
    expect(
      input.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue)),
    ).toEqual(['N', 6, 6, 2])
    const session = await ort.InferenceSession.create(bytes)
    const out = await session.run({ x: new ort.Tensor('float32', randomValues(144), [2, 6, 6, 2]) })
    expect(out.Identity!.dims).toEqual([2, 6, 6, 2])
  })

  it('names outputs after the signature, without the :0 suffix', () => {
    const g = new TestGraph()
    g.input('x', [1, 4])
    g.op('Sigmoid', 'inner', ['x'])
    g.op('Identity', 'Identity_1', ['inner'])
    const { json, weights } = g.build()
    const signature = { outputs: { 'scores:0': { name: 'Identity_1:0' }, x_copy: { name: 'x:0' } } }
    const model = decode(convertTfjsGraph({ ...json, signature }, weights))
    expect(model.graph!.output!.map((o) => o.name)).toEqual(['scores', 'x_copy'])
    // A graph input cannot be renamed, so its output is an Identity of it.
    expect(model.graph!.node!.map((n) => `${n.opType}:${n.output![0]}`)).toEqual([
      'Sigmoid:scores',
      'Identity:x_copy',
    ])
  })

  it('without a signature, outputs every tensor no node consumes', () => {
    const g = new TestGraph()
    g.input('x', [1, 4])
    g.op('Sigmoid', 'b', ['x'])
    g.op('Relu', 'a', ['x'])
    const { json, weights } = g.build()
    expect(decode(convertTfjsGraph(json, weights)).graph!.output!.map((o) => o.name)).toEqual([
      'a',
      'b',
    ])
  })

  it('folds constant shape arithmetic (SparseToDense, AddV2) into the Reshape', async () => {
    const g = new TestGraph()
    g.input('x', [1, 2, 3, 4])
    const dense = g.op('SparseToDense', 'dense', [
      g.const('indices', [1, 1], [1], 'int32'),
      g.const('dims', [1], [3], 'int32'),
      g.const('values', [1], [5], 'int32'),
      g.const('zero', [], [0], 'int32'),
    ])
    const shape = g.op('AddV2', 'shape', [g.const('base', [3], [1, 1, 4], 'int32'), dense])
    g.op('Reshape', 'y', ['x', shape])
    const { json, weights } = g.build(['y'])
    const bytes = convertTfjsGraph(json, weights)
    expect(opTypes(bytes)).toEqual(['Reshape'])
    const session = await ort.InferenceSession.create(bytes)
    const out = await session.run({ x: new ort.Tensor('float32', randomValues(24), [1, 2, 3, 4]) })
    expect(out.y!.dims).toEqual([1, 6, 4])
  })

  it('names an unsupported op and its node', () => {
    const g = new TestGraph()
    g.input('x', [1, 4])
    g.op('Erfinv', 'odd/node', ['x'])
    const { json, weights } = g.build(['odd/node'])
    expect(() => convertTfjsGraph(json, weights)).toThrow(
      expect.objectContaining({
        name: 'ConversionError',
        message: expect.stringMatching(
          /^Op Erfinv \(node odd\/node\) is not supported\. Supported ops: .*Conv2D/,
        ),
      }),
    )
  })

  it('refuses what is not a TF.js graph model', () => {
    expect(() =>
      convertTfjsGraph(
        { format: 'layers-model', modelTopology: {}, weightsManifest: [] },
        new Uint8Array(),
      ),
    ).toThrow(/only "graph-model"/)
    expect(() => convertTfjsGraph([], new Uint8Array())).toThrow(
      expect.objectContaining({ name: 'ConversionError' }),
    )
  })

  it('refuses NCHW convolutions, whose strides TF.js reads as NHWC', () => {
    const g = new TestGraph()
    g.input('x', [1, 1, 4, 4])
    g.op('Conv2D', 'y', ['x', g.const('f', [1, 1, 1, 1], [1])], {
      ...convAttrs,
      data_format: a.s('NCHW'),
    })
    const { json, weights } = g.build(['y'])
    expect(() => convertTfjsGraph(json, weights)).toThrow(/data_format NCHW is not supported/)
  })

  it('needs constant filters', () => {
    const g = new TestGraph()
    g.input('x', [1, 4, 4, 1])
    g.input('f', [1, 1, 1, 1])
    g.op('Conv2D', 'y', ['x', 'f'], convAttrs)
    const { json, weights } = g.build(['y'])
    expect(() => convertTfjsGraph(json, weights)).toThrow(
      /Conv2D node y: filter must be a constant/,
    )
  })
})

describe(convertTfjsGraphFile, () => {
  it('reads the weight shards listed in model.json, in manifest order', () => {
    const { json, weights } = convChain()
    const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-graph-'))
    try {
      const manifest = (json as { weightsManifest: { paths: string[] }[] }).weightsManifest
      manifest[0]!.paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin']
      writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json))
      writeFileSync(path.join(dir, 'group1-shard1of2.bin'), weights.subarray(0, 100))
      writeFileSync(path.join(dir, 'group1-shard2of2.bin'), weights.subarray(100))
      const fromFile = convertTfjsGraphFile(path.join(dir, 'model.json'))
      expect(Buffer.from(fromFile).equals(Buffer.from(convertTfjsGraph(json, weights)))).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
