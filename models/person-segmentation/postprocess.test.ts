import { TaskOutputError } from '../errors'
import { postprocess } from './postprocess'

/** Selfie output with probability `inside` in the rectangle [x0, x1) × [y0, y1) and `outside` elsewhere. */
function output(rect: [number, number, number, number], inside = 0.9, outside = 0.02) {
  const data = new Float32Array(256 * 256).fill(outside)
  const [x0, y0, x1, y1] = rect
  for (let y = y0; y < y1; y++) data.fill(inside, y * 256 + x0, y * 256 + x1)
  return { activation_10: { data, dims: [1, 256, 256, 1] } }
}

describe(postprocess, () => {
  it('measures coverage and the box in image pixels of a stretched mask', () => {
    // 64×128 cells of 256×256 = 1/8 of the image; image 512×1024 is 2× and 4× the mask.
    const result = postprocess(
      output([64, 32, 128, 160]),
      { width: 512, height: 1024 },
      {
        threshold: 0.5,
      },
    )
    expect(result.coverage).toBeCloseTo(0.125, 4)
    expect(result.box).toEqual({ x: 128, y: 128, width: 128, height: 512 })
  })

  it('quantises probabilities to 0–255', () => {
    const { mask } = postprocess(
      output([0, 0, 1, 1], 1, 0.5),
      { width: 256, height: 256 },
      {
        threshold: 0.5,
      },
    )
    expect(mask.width).toBe(256)
    expect(mask.height).toBe(256)
    expect(mask.data[0]).toBe(255)
    expect(mask.data[1]).toBe(128)
  })

  it('has no box and zero coverage when nothing passes the threshold', () => {
    const result = postprocess(
      output([10, 10, 20, 20], 0.4),
      { width: 100, height: 100 },
      {
        threshold: 0.5,
      },
    )
    expect(result.coverage).toBe(0)
    expect(result.box).toBeUndefined()
  })

  it('rejects an output of another shape', () => {
    const outputs = { mask: { data: new Float32Array(144 * 256 * 2), dims: [1, 144, 256, 2] } }
    expect(() => postprocess(outputs, { width: 1, height: 1 }, { threshold: 0.5 })).toThrow(
      TaskOutputError,
    )
  })
})
