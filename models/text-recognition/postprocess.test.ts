import { loadOpenCv } from '../_testing/node-context'
import type { OpenCv } from '../_shared/opencv'
import { TaskOutputError } from '../errors'
import {
  boundingBox,
  corners,
  ctcDecode,
  extractRegions,
  joinText,
  meanInside,
  parseKeys,
  readingOrder,
  type Point,
} from './postprocess'

describe(parseKeys, () => {
  it('reads one key per line, ignoring a final newline and carriage returns', () => {
    expect(parseKeys('a\r\nb\n中\n')).toEqual(['a', 'b', '中'])
    expect(parseKeys("'\n疗")).toEqual(["'", '疗'])
  })
})

describe(ctcDecode, () => {
  const keys = ['a', 'b', '中', '文']
  const classes = keys.length + 2
  /** One batch item per list of steps; each step is [class, probability]. */
  const output = (...items: [number, number][][]) => {
    const steps = Math.max(...items.map((item) => item.length))
    const data = new Float32Array(items.length * steps * classes)
    items.forEach((item, n) =>
      item.forEach(([best, p], t) => {
        const offset = (n * steps + t) * classes
        data.fill((1 - p) / (classes - 1), offset, offset + classes)
        data[offset + best] = p
      }),
    )
    return { data, dims: [items.length, steps, classes] }
  }

  it('merges repeats and drops blanks', () => {
    const [read] = ctcDecode(
      output([
        [1, 0.9],
        [1, 0.8],
        [0, 0.99],
        [1, 0.7],
        [2, 0.6],
        [2, 0.5],
      ]),
      keys,
    )
    expect(read!.text).toBe('aab')
    // Kept: the first step of each run.
    expect(read!.score).toBeCloseTo((0.9 + 0.7 + 0.6) / 3, 6)
  })

  it('maps the last class to a space and reads Chinese keys', () => {
    const [read] = ctcDecode(
      output([
        [3, 0.9],
        [4, 0.9],
        [5, 0.9],
        [1, 0.9],
      ]),
      keys,
    )
    expect(read!.text).toBe('中文 a')
  })

  it('decodes each batch item and scores an empty read 0', () => {
    const reads = ctcDecode(
      output(
        [
          [0, 0.9],
          [0, 0.9],
        ],
        [
          [2, 0.4],
          [0, 0.9],
        ],
      ),
      keys,
    )
    expect(reads).toEqual([
      { text: '', score: 0 },
      { text: 'b', score: expect.closeTo(0.4, 6) },
    ])
  })

  it('rejects an output whose class count does not match the keys', () => {
    expect(() => ctcDecode({ data: new Float32Array(10), dims: [1, 2, 5] }, keys)).toThrow(
      TaskOutputError,
    )
  })
})

describe(corners, () => {
  it('orders an upright rectangle clockwise from top-left', () => {
    const rect = { center: { x: 11, y: 7 }, size: { width: 4, height: 16 }, angle: 90 }
    expect(corners(rect).map(([x, y]) => [Math.round(x), Math.round(y)])).toEqual([
      [3, 5],
      [19, 5],
      [19, 9],
      [3, 9],
    ])
  })

  it('starts a tilted rectangle at its upper-left corner', () => {
    const rect = { center: { x: 0, y: 0 }, size: { width: 20, height: 4 }, angle: 10 }
    const [p0, p1, p2, p3] = corners(rect) as [Point, Point, Point, Point]
    expect(p0[0]).toBeLessThan(p1[0])
    expect((p1[1] - p0[1]) / (p1[0] - p0[0])).toBeCloseTo(Math.tan(Math.PI / 18), 6)
    expect(p3[1]).toBeGreaterThan(p0[1])
    expect(p2[1]).toBeGreaterThan(p1[1])
  })
})

describe(meanInside, () => {
  it('averages the pixels inside a quadrilateral, edges included', () => {
    const map = new Float32Array(16 * 16)
    for (let y = 2; y <= 5; y++) map.fill(1, y * 16 + 2, y * 16 + 8)
    const inside: Point[] = [
      [2, 2],
      [7.9, 2],
      [7.9, 5.5],
      [2, 5.5],
    ]
    expect(meanInside(map, 16, 16, inside)).toBe(1)
    const wider: Point[] = [
      [2, 2],
      [13, 2],
      [13, 5],
      [2, 5],
    ]
    expect(meanInside(map, 16, 16, wider)).toBeCloseTo(24 / 48, 6)
  })
})

describe(extractRegions, () => {
  let cv: OpenCv
  beforeAll(async () => {
    cv = (await loadOpenCv()).cv
  })

  const size = 128
  const meta = { width: size * 2, height: size, inputWidth: size, inputHeight: size }
  const blank = () => new Float32Array(size * size)
  const fill = (map: Float32Array, x0: number, y0: number, x1: number, y1: number, p = 0.9) => {
    for (let y = y0; y <= y1; y++) map.fill(p, y * size + x0, y * size + x1 + 1)
  }
  const probabilityMap = (data: Float32Array) => ({ data, dims: [1, 1, size, size] })
  /** The unclip distance for a w×h rectangle: area × 1.5 / perimeter. */
  const grow = (w: number, h: number) => (w * h * 1.5) / (2 * (w + h))

  it('finds two rectangles and grows each by area × 1.5 / perimeter', () => {
    const map = blank()
    fill(map, 10, 10, 59, 19)
    fill(map, 20, 60, 99, 79)
    const regions = extractRegions(cv, probabilityMap(map), meta, 0.6)
    expect(regions).toHaveLength(2)
    const sorted = regions.sort((a, b) => a.polygon[0]![1] - b.polygon[0]![1])
    // Contour points sit on pixel centres: the first blob spans 49 × 9 between them.
    const d1 = grow(49, 9)
    const d2 = grow(79, 19)
    const expected = [
      { x: 10 - d1, y: 10 - d1, x1: 59 + d1, y1: 19 + d1 },
      { x: 20 - d2, y: 60 - d2, x1: 99 + d2, y1: 79 + d2 },
    ]
    sorted.forEach((region, i) => {
      const e = expected[i]!
      expect(region.score).toBeCloseTo(0.9, 2)
      // Image pixels: the map is half as wide as the image.
      const [p0, p1, p2, p3] = region.polygon
      expect(p0![0]).toBeCloseTo(e.x * 2, 0)
      expect(p0![1]).toBeCloseTo(e.y, 0)
      expect(p1![0]).toBeCloseTo(e.x1 * 2, 0)
      expect(p2![1]).toBeCloseTo(e.y1, 0)
      expect(p3![0]).toBeCloseTo(e.x * 2, 0)
    })
  })

  it('returns a tilted polygon for a tilted text region', () => {
    const map = blank()
    const angle = (20 * Math.PI) / 180
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const u = (x - 64) * Math.cos(angle) + (y - 64) * Math.sin(angle)
        const v = -(x - 64) * Math.sin(angle) + (y - 64) * Math.cos(angle)
        if (Math.abs(u) <= 40 && Math.abs(v) <= 8) map[y * size + x] = 0.8
      }
    }
    const square = { width: size, height: size, inputWidth: size, inputHeight: size }
    const [region, ...rest] = extractRegions(cv, probabilityMap(map), square, 0.6)
    expect(rest).toHaveLength(0)
    const [p0, p1, , p3] = region!.polygon as [Point, Point, Point, Point]
    expect((p1[1] - p0[1]) / (p1[0] - p0[0])).toBeCloseTo(Math.tan(angle), 1)
    const length = Math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    const height = Math.hypot(p3[0] - p0[0], p3[1] - p0[1])
    expect(length).toBeGreaterThan(80 + 2 * grow(80, 16) - 3)
    expect(length).toBeLessThan(80 + 2 * grow(80, 16) + 3)
    expect(height).toBeGreaterThan(16 + 2 * grow(80, 16) - 3)
    expect(height).toBeLessThan(16 + 2 * grow(80, 16) + 3)
  })

  it('drops blobs thinner than 3 px and regions scoring below minBoxScore', () => {
    const map = blank()
    fill(map, 5, 5, 30, 6)
    fill(map, 40, 40, 41, 41)
    fill(map, 10, 90, 60, 100, 0.45)
    expect(extractRegions(cv, probabilityMap(map), meta, 0.6)).toEqual([])
    expect(extractRegions(cv, probabilityMap(map), meta, 0.4)).toHaveLength(1)
  })

  it('rejects a map whose size does not match the input', () => {
    expect(() => extractRegions(cv, { data: blank(), dims: [1, 1, 64, 256] }, meta, 0.6)).toThrow(
      TaskOutputError,
    )
  })
})

describe(readingOrder, () => {
  /** A line-shaped polygon h px tall from (x, y), w px long, rising `slope` px per px. */
  const line = (text: string, x: number, y: number, w = 60, h = 14, slope = 0) => ({
    text,
    polygon: [
      [x, y],
      [x + w, y + w * slope],
      [x + w, y + w * slope + h],
      [x, y + h],
    ] as Point[],
  })

  it('reads rows top to bottom and left to right within a row', () => {
    const lines = [
      line('d', 10, 40),
      line('b', 100, 12),
      line('a', 10, 10),
      line('e', 100, 41),
      line('c', 190, 8),
    ]
    const ordered = readingOrder(lines)
    expect(ordered.map((l) => l.text).join('')).toBe('abcde')
    expect(ordered.map((l) => l.row)).toEqual([0, 0, 0, 1, 1])
  })

  it('keeps a skewed row together even where it dips below the next row’s start', () => {
    // Rows 20 px apart on a baseline falling 0.15 px per px (8.5°): the last word of row 1 sits
    // 7 px lower than the first word of row 2, so sorting by y alone would interleave the rows.
    const slope = 0.15
    const lines = [0, 1, 2, 3].flatMap((i) => [
      line(`r1w${i}`, 10 + i * 60, 10 + i * 60 * slope, 55, 14, slope),
      line(`r2w${i}`, 10 + i * 60, 30 + i * 60 * slope, 55, 14, slope),
    ])
    const ordered = readingOrder(lines.reverse())
    expect(ordered.map((l) => l.text)).toEqual([
      'r1w0',
      'r1w1',
      'r1w2',
      'r1w3',
      'r2w0',
      'r2w1',
      'r2w2',
      'r2w3',
    ])
    expect(ordered.map((l) => l.row)).toEqual([0, 0, 0, 0, 1, 1, 1, 1])
  })
})

describe(joinText, () => {
  it('joins a row with spaces and rows with newlines', () => {
    expect(
      joinText([
        { text: 'a', row: 0 },
        { text: 'b', row: 0 },
        { text: 'c', row: 1 },
      ]),
    ).toBe('a b\nc')
    expect(joinText([])).toBe('')
  })
})

describe(boundingBox, () => {
  it('bounds a tilted polygon', () => {
    expect(
      boundingBox([
        [10, 5],
        [30, 8],
        [29, 18],
        [9, 15],
      ]),
    ).toEqual({ x: 9, y: 5, width: 21, height: 13 })
  })
})
