import { fixture, loadImage } from '../_testing/load-image'
import { createNodeContext } from '../_testing/node-context'
import type { TaskContext } from '../types'
import task from '.'
import { manifest } from './manifest'
import type { TextResult } from './postprocess'

/** Milliseconds per detector run, and per line read for each recognizer batch. */
const detectorMs: number[] = []
const recognizerMsPerLine: number[] = []
let ctx: TaskContext

/** Records how long each model run takes, by role. */
const timed = (inner: TaskContext): TaskContext => ({
  ...inner,
  async run(role, feeds) {
    const start = performance.now()
    const outputs = await inner.run(role, feeds)
    const ms = performance.now() - start
    if (role === 'detector') detectorMs.push(ms)
    else recognizerMsPerLine.push(ms / feeds.x!.dims[0]!)
    return outputs
  },
})

const read = async (name: string): Promise<TextResult> =>
  task.analyze(await loadImage(fixture(name)), manifest.defaultOptions, ctx)

beforeAll(async () => {
  ctx = timed(await createNodeContext(manifest))
})

describe('text-recognition on page.png', () => {
  let result: TextResult
  beforeAll(async () => {
    result = await read('page.png')
  })

  it('reads the printed words', () => {
    const text = result.text.toLowerCase()
    for (const words of [
      'region-based',
      'segmentation',
      'let us first determine markers of the coins and the',
      'pixels that we can label',
      'unambiguously as either object or background',
      'extreme parts of the',
      'histogram',
      'np.zeros',
    ]) {
      expect(text).toContain(words)
    }
  })

  it('lists the lines top to bottom, one row each', () => {
    expect(result.lines).toHaveLength(7)
    const middles = result.lines.map((line) => line.box.y + line.box.height / 2)
    for (let i = 1; i < middles.length; i++) expect(middles[i]!).toBeGreaterThan(middles[i - 1]!)
    expect(result.lines.map((line) => line.row)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(result.text.split('\n')).toHaveLength(7)
  })

  it('gives polygons inside the image and scores within range', () => {
    for (const line of result.lines) {
      expect(line.polygon).toHaveLength(4)
      for (const [x, y] of line.polygon) {
        expect(x).toBeGreaterThanOrEqual(0)
        expect(x).toBeLessThanOrEqual(384)
        expect(y).toBeGreaterThanOrEqual(0)
        expect(y).toBeLessThanOrEqual(191)
      }
      expect(line.score).toBeGreaterThanOrEqual(0.5)
      expect(line.score).toBeLessThanOrEqual(1)
      expect(line.detScore).toBeGreaterThanOrEqual(0.5)
    }
    expect(result.lines[0]!.score).toBeGreaterThan(0.95)
  })

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  })
})

describe('text-recognition on Chinese text', () => {
  it('reads both lines of chinese-text.png in order', async () => {
    const { lines, text } = await read('chinese-text.png')
    expect(lines).toHaveLength(2)
    expect(lines[0]!.text).toBe('图像分析在设备上运行')
    expect(text.replace(/\s/g, '')).toContain('本地识别文字人脸')
    expect(lines[0]!.score).toBeGreaterThan(0.9)
  })
})

describe('text-recognition on photos', () => {
  it('reads the advertising board behind the footballers in messi5.jpg', async () => {
    const { lines } = await read('messi5.jpg')
    expect(lines.map((line) => line.text.toLowerCase())).toContain('weekmedia')
  })

  it('finds no text in dog.jpg', async () => {
    const { lines, text } = await read('dog.jpg')
    expect(lines).toEqual([])
    expect(text).toBe('')
  })
})

afterAll(() => {
  // Medians, so the first run of each session (which allocates its buffers) does not count.
  const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? NaN
  // Reported for the README; not asserted, as the test machine is shared.
  const detector = median(detectorMs).toFixed(0)
  const recognizer = median(recognizerMsPerLine).toFixed(0)
  console.warn(
    `text-recognition latency (onnxruntime-node): detector median ${detector} ms over ` +
      `${detectorMs.length} runs; recognizer median ${recognizer} ms per line over ` +
      `${recognizerMsPerLine.length} batches`,
  )
})
