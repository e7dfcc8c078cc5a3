import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { randomValues, loadTfjs, tfAttr as a, TestGraph } from './test-graph'
import { convertTfjsGraph } from './tfjs-graph'

interface OpCase {
  name: string
  /** Input placeholders by name and shape. */
  inputs: Record<string, number[]>
  /** Adds the op(s) under test; returns the output node names. */
  build: (g: TestGraph) => string[]
}

const w = (g: TestGraph, name: string, shape: number[], seed = 7) =>
  g.const(
    name,
    shape,
    randomValues(
      shape.reduce((x, y) => x * y, 1),
      seed,
    ),
  )
const ints = (g: TestGraph, name: string, values: number[], shape = [values.length]) =>
  g.const(name, shape, values, 'int32')

const conv = (padding: string, strides: number[], extra: object = {}) => ({
  padding: a.s(padding),
  strides: a.ints(strides),
  data_format: a.s('NHWC'),
  dilations: a.ints([1, 1, 1, 1]),
  ...extra,
})

// Spatial sizes 8×9 make SAME padding asymmetric on one axis and symmetric on the other.
const cases: OpCase[] = [
  {
    name: 'Conv2D SAME stride 2',
    inputs: { x: [1, 8, 9, 3] },
    build: (g) => [g.op('Conv2D', 'y', ['x', w(g, 'f', [3, 3, 3, 4])], conv('SAME', [1, 2, 2, 1]))],
  },
  {
    name: 'Conv2D VALID with dilation 2',
    inputs: { x: [1, 9, 8, 2] },
    build: (g) => [
      g.op(
        'Conv2D',
        'y',
        ['x', w(g, 'f', [3, 3, 2, 3])],
        conv('VALID', [1, 1, 1, 1], { dilations: a.ints([1, 2, 2, 1]) }),
      ),
    ],
  },
  {
    name: 'Conv2D EXPLICIT padding',
    inputs: { x: [1, 6, 7, 2] },
    build: (g) => [
      g.op(
        'Conv2D',
        'y',
        ['x', w(g, 'f', [3, 2, 2, 3])],
        conv('EXPLICIT', [1, 2, 1, 1], { explicit_paddings: a.ints([0, 0, 2, 1, 0, 3, 0, 0]) }),
      ),
    ],
  },
  {
    name: 'DepthwiseConv2dNative with channel multiplier 2',
    inputs: { x: [1, 8, 9, 3] },
    build: (g) => [
      g.op(
        'DepthwiseConv2dNative',
        'y',
        ['x', w(g, 'f', [3, 3, 3, 2])],
        conv('SAME', [1, 2, 2, 1]),
      ),
    ],
  },
  {
    name: '_FusedConv2D BiasAdd + Relu6',
    inputs: { x: [1, 7, 7, 3] },
    build: (g) => [
      g.op(
        '_FusedConv2D',
        'y',
        ['x', w(g, 'f', [3, 3, 3, 4], 3), w(g, 'b', [4], 5)],
        conv('SAME', [1, 1, 1, 1], {
          fused_ops: a.strings(['BiasAdd', 'Relu6']),
          num_args: a.i(1),
        }),
      ),
    ],
  },
  {
    name: '_FusedConv2D BiasAdd + LeakyRelu',
    inputs: { x: [1, 7, 7, 3] },
    build: (g) => [
      g.op(
        '_FusedConv2D',
        'y',
        ['x', w(g, 'f', [1, 1, 3, 4]), w(g, 'b', [4], 5)],
        conv('VALID', [1, 1, 1, 1], {
          fused_ops: a.strings(['BiasAdd', 'LeakyRelu']),
          num_args: a.i(1),
          leakyrelu_alpha: a.f(0.1),
        }),
      ),
    ],
  },
  {
    name: '_FusedConv2D BiasAdd + Prelu',
    inputs: { x: [1, 7, 7, 3] },
    build: (g) => [
      g.op(
        '_FusedConv2D',
        'y',
        ['x', w(g, 'f', [3, 3, 3, 4]), w(g, 'b', [4], 5), w(g, 'alpha', [1, 1, 4], 9)],
        conv('SAME', [1, 2, 2, 1], {
          fused_ops: a.strings(['BiasAdd', 'Prelu']),
          num_args: a.i(2),
        }),
      ),
    ],
  },
  {
    name: 'FusedDepthwiseConv2dNative BiasAdd + Relu',
    inputs: { x: [1, 8, 8, 4] },
    build: (g) => [
      g.op(
        'FusedDepthwiseConv2dNative',
        'y',
        ['x', w(g, 'f', [3, 3, 4, 1]), w(g, 'b', [4], 5)],
        conv('SAME', [1, 2, 2, 1], { fused_ops: a.strings(['BiasAdd', 'Relu']), num_args: a.i(1) }),
      ),
    ],
  },
  {
    name: 'Conv2DBackpropInput SAME stride 2 to an odd size',
    inputs: { x: [1, 5, 4, 3] },
    build: (g) => [
      g.op(
        'Conv2DBackpropInput',
        'y',
        [ints(g, 'size', [1, 9, 8, 2]), w(g, 'f', [3, 3, 2, 3]), 'x'],
        conv('SAME', [1, 2, 2, 1]),
      ),
    ],
  },
  {
    name: 'Conv2DBackpropInput VALID stride 2 with a remainder row',
    inputs: { x: [1, 4, 4, 3] },
    build: (g) => [
      g.op(
        'Conv2DBackpropInput',
        'y',
        [ints(g, 'size', [1, 10, 9, 2]), w(g, 'f', [3, 3, 2, 3]), 'x'],
        conv('VALID', [1, 2, 2, 1]),
      ),
    ],
  },
  {
    name: 'MaxPool SAME and AvgPool SAME (padding not counted) and VALID',
    inputs: { x: [1, 8, 9, 2] },
    build: (g) => {
      const pool = (padding: string) => ({
        ksize: a.ints([1, 3, 3, 1]),
        ...conv(padding, [1, 2, 2, 1]),
      })
      return [
        g.op('MaxPool', 'max', ['x'], pool('SAME')),
        g.op('AvgPool', 'avg', ['x'], pool('SAME')),
        g.op('AvgPool', 'valid', ['x'], pool('VALID')),
      ]
    },
  },
  {
    name: 'global AvgPool',
    inputs: { x: [1, 4, 4, 3] },
    build: (g) => [
      g.op('AvgPool', 'y', ['x'], { ksize: a.ints([1, 4, 4, 1]), ...conv('VALID', [1, 4, 4, 1]) }),
    ],
  },
  ...(['ResizeBilinear', 'ResizeNearestNeighbor'] as const).flatMap((op) =>
    [
      { align_corners: false, half_pixel_centers: true },
      { align_corners: true, half_pixel_centers: false },
      { align_corners: false, half_pixel_centers: false },
    ].map(({ align_corners, half_pixel_centers }) => ({
      name: `${op} align_corners=${align_corners} half_pixel_centers=${half_pixel_centers}`,
      // Halving 6×8 puts nearest-neighbour source coordinates exactly on .5, where rounding modes differ.
      inputs: { x: [1, 6, 8, 2] },
      build: (g: TestGraph) => [
        g.op(op, 'up', ['x', ints(g, 'size', [9, 11])], {
          align_corners: a.b(align_corners),
          half_pixel_centers: a.b(half_pixel_centers),
        }),
        g.op(op, 'down', ['x', ints(g, 'size2', [3, 4])], {
          align_corners: a.b(align_corners),
          half_pixel_centers: a.b(half_pixel_centers),
        }),
      ],
    })),
  ),
  {
    name: 'Mean, Sum and Max',
    inputs: { x: [1, 4, 5, 3] },
    build: (g) => [
      g.op('Mean', 'mean', ['x', ints(g, 'axes', [1, 2])], {
        keep_dims: a.b(true),
        Tidx: a.type('DT_INT32'),
      }),
      g.op('Sum', 'sum', ['x', ints(g, 'axis', [-1], [])], { keep_dims: a.b(false) }),
      g.op('Max', 'max', ['x', ints(g, 'axis2', [1])], { keep_dims: a.b(false) }),
      g.op('Min', 'min', ['x', ints(g, 'axis3', [0, 3])], { keep_dims: a.b(true) }),
      g.op('Prod', 'prod', ['x', ints(g, 'axis4', [2])], { keep_dims: a.b(false) }),
    ],
  },
  {
    name: 'element-wise ops and activations',
    inputs: { x: [1, 3, 4, 5], y: [1, 3, 4, 5] },
    build: (g) => {
      const c = w(g, 'c', [5], 11)
      return [
        g.op('AddV2', 'add', ['x', c]),
        g.op('Add', 'add1', ['x', 'y']),
        g.op('Sub', 'sub', ['x', 'y']),
        g.op('Mul', 'mul', ['x', c]),
        g.op('RealDiv', 'div', ['x', g.const('two', [], [2])]),
        g.op('AddN', 'addn', ['x', 'y', 'x'], { N: a.i(3) }),
        g.op('BiasAdd', 'bias', ['x', c], { data_format: a.s('NHWC') }),
        g.op('Maximum', 'maximum', ['x', 'y']),
        g.op('SquaredDifference', 'sqdiff', ['x', 'y']),
        g.op('Sigmoid', 'sigmoid', ['x']),
        g.op('Relu', 'relu', ['x']),
        g.op('Relu6', 'relu6', [g.op('Mul', 'big', ['x', g.const('eight', [], [8])])]),
        g.op('Elu', 'elu', ['x']),
        g.op('Tanh', 'tanh', ['x']),
        g.op('LeakyRelu', 'leaky', ['x'], { alpha: a.f(0.3) }),
        g.op('Prelu', 'prelu', ['x', w(g, 'alpha', [5], 13)]),
        g.op('Softmax', 'softmax', ['x']),
        g.op('Rsqrt', 'rsqrt', [g.op('Square', 'square', ['y'])]),
        g.op('Identity', 'identity', ['x']),
        g.op('Abs', 'abs', ['x']),
        g.op('Exp', 'exp', ['x']),
        g.op('Log', 'log', [g.op('Exp', 'exp2', ['y'])]),
        g.op('Neg', 'neg', ['x']),
        g.op('Floor', 'floor', [g.op('Mul', 'ten', ['x', g.const('tenc', [], [10])])]),
        g.op('Softplus', 'softplus', ['x']),
        g.op('Sqrt', 'sqrt', ['square']),
        g.op('Div', 'div2', ['x', 'c']),
        g.op('Minimum', 'minimum', ['x', 'y']),
        g.op('Pow', 'pow', ['abs', g.const('exponent', [], [1.5])]),
      ]
    },
  },
  {
    name: 'shape ops',
    inputs: { x: [1, 4, 6, 3] },
    build: (g) => [
      g.op('ConcatV2', 'concat', ['x', 'x', ints(g, 'axis', [-1], [])], { N: a.i(2) }),
      g.op('SplitV', 'split', ['x', ints(g, 'sizes', [1, -1, 2]), ints(g, 'dim', [2], [])], {
        num_split: a.i(3),
      }),
      g.op('Identity', 'split1', ['split:1']),
      g.op('Identity', 'split2', ['split:2']),
      g.op('Split', 'even', [ints(g, 'dim2', [1], []), 'x'], { num_split: a.i(2) }),
      g.op('Identity', 'even1', ['even:1']),
      g.op('Pad', 'pad', ['x', ints(g, 'pads', [0, 0, 1, 2, 0, 1, 0, 0], [4, 2])]),
      g.op('PadV2', 'padv2', [
        'x',
        ints(g, 'pads2', [0, 0, 2, 0, 1, 1, 0, 0], [4, 2]),
        g.const('fill', [], [-3]),
      ]),
      g.op('MirrorPad', 'mirror', ['x', ints(g, 'pads3', [0, 0, 1, 2, 2, 1, 0, 0], [4, 2])], {
        mode: a.s('REFLECT'),
      }),
      g.op('Reshape', 'reshape', ['x', ints(g, 'shape', [1, -1, 3])]),
      g.op('Transpose', 'transpose', ['x', ints(g, 'perm', [0, 3, 1, 2])]),
      g.op('Squeeze', 'squeeze', ['x'], { squeeze_dims: a.ints([0]) }),
      g.op('ExpandDims', 'expand', ['x', ints(g, 'axis2', [-1], [])]),
      g.op('Pack', 'pack', ['x', 'x'], { axis: a.i(1), N: a.i(2) }),
    ],
  },
]

describe(convertTfjsGraph, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
    await tf.ready()
  })

  it.each(cases)('matches TF.js for $name', async ({ inputs, build }) => {
    const g = new TestGraph()
    for (const [name, shape] of Object.entries(inputs)) g.input(name, shape)
    const outputs = build(g)
    const model = g.build(outputs)
    const session = await ort.InferenceSession.create(convertTfjsGraph(model.json, model.weights), {
      logSeverityLevel: 3,
    })
    const feeds = Object.fromEntries(
      Object.entries(inputs).map(
        ([name, shape], i) =>
          [
            name,
            randomValues(
              shape.reduce((x, y) => x * y, 1),
              100 + i,
            ),
          ] as const,
      ),
    )
    const onnx = await session.run(
      Object.fromEntries(
        Object.entries(feeds).map(([name, data]) => [
          name,
          new ort.Tensor('float32', data, inputs[name]!),
        ]),
      ),
    )
    const tfjs = await loadTfjs(model)
    const feedTensors = Object.fromEntries(
      Object.entries(feeds).map(([name, data]) => [name, tf.tensor(data, inputs[name]!)]),
    )
    const ran = tfjs.execute(feedTensors, outputs)
    const expected = Array.isArray(ran) ? ran : [ran]
    outputs.forEach((name, i) => {
      const got = onnx[name]!
      expect(got.dims, name).toEqual(expected[i]!.shape)
      const want = expected[i]!.dataSync()
      const data = got.data as Float32Array
      let max = 0
      // Relative above 1: rsqrt of values near 0 is large.
      for (let k = 0; k < want.length; k++) {
        max = Math.max(max, Math.abs(data[k]! - want[k]!) / Math.max(1, Math.abs(want[k]!)))
      }
      expect(max, name).toBeLessThanOrEqual(1e-5)
    })
    tf.dispose([...Object.values(feedTensors), ...expected])
    tfjs.dispose()
  })
})
