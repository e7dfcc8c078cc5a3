import type { ResultOf } from '..'
import type { Face } from '../face-detection/postprocess'
import type { Line } from '../text-recognition/postprocess'
import { operationSchema } from './recipe'
import { redactionRegions } from './redaction'

/** A face as face-detection stores it, its box in pixels of the analysed image. */
const face = (box: Face['box'], score: number, meshScore?: number): Face => ({
  box,
  score,
  keypoints: [
    { name: 'rightEye', x: box.x + box.width * 0.3, y: box.y + box.height * 0.4 },
    { name: 'leftEye', x: box.x + box.width * 0.7, y: box.y + box.height * 0.4 },
  ],
  ...(meshScore === undefined ? {} : { meshScore }),
})

/** A text line as text-recognition stores it: an upright box and its polygon. */
const line = (text: string, box: Line['box'], score = 0.95): Line => ({
  text,
  score,
  box,
  polygon: [
    [box.x, box.y],
    [box.x + box.width, box.y],
    [box.x + box.width, box.y + box.height],
    [box.x, box.y + box.height],
  ],
  detScore: 0.9,
  row: 0,
})

const faces = (list: Face[]): ResultOf<'face-detection'> => ({ faces: list })
const lines = (list: Line[]): ResultOf<'text-recognition'> => ({
  lines: list,
  text: list.map((l) => l.text).join('\n'),
})

describe(redactionRegions, () => {
  it('pads each face box by a tenth of its size and normalises it to the image', () => {
    const [region] = redactionRegions({
      faces: {
        output: faces([face({ x: 200, y: 100, width: 100, height: 120 }, 0.968)]),
        imageSize: { width: 1000, height: 800 },
      },
    })
    expect(region).toEqual({
      // (200 − 10) / 1000, (100 − 12) / 800, (100 + 2 × 10) / 1000, (120 + 2 × 12) / 800
      x: 0.19,
      y: expect.closeTo(0.11, 9),
      width: expect.closeTo(0.12, 9),
      height: expect.closeTo(0.18, 9),
      kind: 'face',
      enabled: true,
      label: 'Face 1 (97%)',
    })
  })

  it('clamps a face the edge cuts to the image', () => {
    const [region] = redactionRegions({
      faces: {
        output: faces([face({ x: -30, y: 700, width: 100, height: 150 }, 0.9)]),
        imageSize: { width: 1000, height: 800 },
      },
    })
    // Left: −30 − 10 → 0; right: 70 + 10 = 80 px. Top: 700 − 15 = 685 px; bottom: 865 → 800.
    expect(region!.x).toBe(0)
    expect(region!.width).toBeCloseTo(0.08, 9)
    expect(region!.y).toBeCloseTo(685 / 800, 9)
    expect(region!.y + region!.height).toBeCloseTo(1, 9)
  })

  it('keeps the panel’s numbering and leaves out faces below the floor or not confirmed', () => {
    const regions = redactionRegions({
      faces: {
        output: faces([
          face({ x: 10, y: 10, width: 50, height: 50 }, 0.95, 0.99),
          face({ x: 100, y: 10, width: 50, height: 50 }, 0.6, 0.99),
          face({ x: 200, y: 10, width: 50, height: 50 }, 0.9, 0.001),
          face({ x: 300, y: 10, width: 50, height: 50 }, 0.8),
        ]),
        imageSize: { width: 400, height: 300 },
        minScore: 0.75,
      },
    })
    expect(regions.map((r) => r.label)).toEqual(['Face 1 (95%)', 'Face 4 (80%)'])
  })

  it('covers each text line’s box, labelled with its text', () => {
    const regions = redactionRegions({
      text: {
        output: lines([
          line('INVOICE 2024-117', { x: 40, y: 20, width: 160, height: 24 }),
          line('x'.repeat(80), { x: 40, y: 60, width: 300, height: 20 }),
          line('faint', { x: 40, y: 100, width: 60, height: 20 }, 0.3),
        ]),
        imageSize: { width: 400, height: 200 },
        minScore: 0.5,
      },
    })
    expect(regions).toHaveLength(2)
    expect(regions[0]).toEqual({
      x: 0.1,
      y: 0.1,
      width: 0.4,
      height: 0.12,
      kind: 'text',
      enabled: true,
      label: 'INVOICE 2024-117',
    })
    expect(regions[1]!.label).toBe(`${'x'.repeat(59)}…`)
    expect(Array.from(regions[1]!.label)).toHaveLength(60)
  })

  it('normalises each result by the size its own task saw', () => {
    const regions = redactionRegions({
      faces: {
        output: faces([face({ x: 100, y: 100, width: 100, height: 100 }, 0.9)]),
        imageSize: { width: 500, height: 500 },
      },
      text: {
        output: lines([line('Chelsea', { x: 200, y: 200, width: 200, height: 100 })]),
        imageSize: { width: 1000, height: 1000 },
      },
    })
    expect(regions.map((r) => [r.kind, r.x, r.y])).toEqual([
      ['face', expect.closeTo(0.18, 9), expect.closeTo(0.18, 9)],
      ['text', 0.2, 0.2],
    ])
  })

  it('drops a box wholly outside the image and gives nothing for no results', () => {
    expect(
      redactionRegions({
        faces: {
          output: faces([face({ x: 600, y: 10, width: 50, height: 50 }, 0.9)]),
          imageSize: { width: 500, height: 500 },
        },
      }),
    ).toEqual([])
    expect(redactionRegions({})).toEqual([])
  })

  it('gives regions a redact operation accepts', () => {
    const regions = redactionRegions({
      faces: {
        output: faces([face({ x: -10, y: -10, width: 600, height: 700 }, 0.99)]),
        imageSize: { width: 500, height: 500 },
      },
      text: {
        output: lines([line('  ', { x: 0, y: 0, width: 500, height: 500 })]),
        imageSize: { width: 500, height: 500 },
      },
    })
    expect(regions.map((r) => r.label)).toEqual(['Face 1 (99%)', 'Text'])
    expect(() => operationSchema.parse({ op: 'redact', style: 'blur', regions })).not.toThrow()
  })
})
