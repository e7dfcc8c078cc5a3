import { iou, nms, weightedNms } from './boxes'

const box = (x: number, y: number, width = 10, height = 10) => ({ x, y, width, height })

describe(iou, () => {
  it('is 1 for identical boxes and 0 for disjoint ones', () => {
    expect(iou(box(0, 0), box(0, 0))).toBe(1)
    expect(iou(box(0, 0), box(20, 20))).toBe(0)
    expect(iou(box(0, 0), box(10, 0))).toBe(0)
  })

  it('divides the overlap by the union', () => {
    // Overlap 5×10 = 50; union 100 + 100 − 50 = 150.
    expect(iou(box(0, 0), box(5, 0))).toBeCloseTo(1 / 3, 10)
  })
})

describe(nms, () => {
  it('keeps the best of overlapping boxes and every separate box', () => {
    const kept = nms(
      [
        { box: box(0, 0), score: 0.6 },
        { box: box(1, 1), score: 0.9 },
        { box: box(50, 50), score: 0.5 },
      ],
      0.5,
    )
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.5])
  })

  it('keeps overlapping boxes whose IoU is at or below the threshold', () => {
    const kept = nms(
      [
        { box: box(0, 0), score: 0.9 },
        { box: box(5, 0), score: 0.8 },
      ],
      0.4,
    )
    expect(kept).toHaveLength(2)
  })
})

describe(weightedNms, () => {
  it('averages a cluster by score and keeps the best score', () => {
    const [merged, ...others] = weightedNms(
      [
        { box: box(0, 0), score: 0.75, points: [0, 0] },
        { box: box(2, 0), score: 0.25, points: [4, 8] },
        { box: box(100, 100), score: 0.5, points: [1, 1] },
      ],
      0.3,
    )
    expect(merged!.score).toBe(0.75)
    expect(merged!.box.x).toBeCloseTo(0.5, 10)
    expect(merged!.points).toEqual([1, 2])
    expect(others).toHaveLength(1)
    expect(others[0]!.box.x).toBe(100)
  })
})
