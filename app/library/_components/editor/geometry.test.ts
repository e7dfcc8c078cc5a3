import type { Rect } from '../../../../models/_transform/recipe'
import {
  clampPoint,
  clampRect,
  fitRectToAspect,
  handles,
  minCropSide,
  moveRect,
  normalisedAspect,
  nudgePercent,
  nudgePoint,
  nudgeRect,
  replaceCorner,
  resizeRect,
  type CropConstraints,
  type Corners,
  type Handle,
  type ImageSize,
} from './geometry'

const square = { width: 1000, height: 1000 }
const landscape = { width: 4000, height: 3000 }
const free: CropConstraints = { aspect: null, imageSize: landscape }
const eps = 1e-9

function expectRect(actual: Rect, expected: Rect) {
  expect(actual.x).toBeCloseTo(expected.x, 9)
  expect(actual.y).toBeCloseTo(expected.y, 9)
  expect(actual.width).toBeCloseTo(expected.width, 9)
  expect(actual.height).toBeCloseTo(expected.height, 9)
}

function expectInside(rect: Rect) {
  expect(rect.x).toBeGreaterThanOrEqual(0)
  expect(rect.y).toBeGreaterThanOrEqual(0)
  expect(rect.x + rect.width).toBeLessThanOrEqual(1 + eps)
  expect(rect.y + rect.height).toBeLessThanOrEqual(1 + eps)
}

/** Width / height of `rect` in pixels of `imageSize`. */
function pixelAspect(rect: Rect, imageSize: ImageSize) {
  return (rect.width * imageSize.width) / (rect.height * imageSize.height)
}

const edges = (r: Rect) => ({ left: r.x, top: r.y, right: r.x + r.width, bottom: r.y + r.height })

describe(clampRect, () => {
  it('pulls a box that sticks out back inside the image, keeping its size', () => {
    expectRect(clampRect({ x: 0.8, y: -0.1, width: 0.5, height: 0.3 }), {
      x: 0.5,
      y: 0,
      width: 0.5,
      height: 0.3,
    })
  })

  it('enlarges a box below the minimum size and shrinks one larger than the image', () => {
    expectRect(clampRect({ x: 0.99, y: 0, width: 0.001, height: 2 }), {
      x: 1 - minCropSide,
      y: 0,
      width: minCropSide,
      height: 1,
    })
  })
})

describe(moveRect, () => {
  const rect = { x: 0.2, y: 0.3, width: 0.4, height: 0.5 }

  it('moves the box by the drag', () => {
    expectRect(moveRect(rect, 0.1, -0.2), { x: 0.3, y: 0.1, width: 0.4, height: 0.5 })
  })

  it('stops at the border when dragged past it, without changing size', () => {
    expectRect(moveRect(rect, 5, 5), { x: 0.6, y: 0.5, width: 0.4, height: 0.5 })
    expectRect(moveRect(rect, -5, -5), { x: 0, y: 0, width: 0.4, height: 0.5 })
  })
})

describe(resizeRect, () => {
  const start = { x: 0.3, y: 0.3, width: 0.4, height: 0.4 }

  describe('free', () => {
    const moved: Record<Handle, Rect> = {
      nw: { x: 0.2, y: 0.25, width: 0.5, height: 0.45 },
      n: { x: 0.3, y: 0.25, width: 0.4, height: 0.45 },
      ne: { x: 0.3, y: 0.25, width: 0.3, height: 0.45 },
      e: { x: 0.3, y: 0.3, width: 0.3, height: 0.4 },
      se: { x: 0.3, y: 0.3, width: 0.3, height: 0.35 },
      s: { x: 0.3, y: 0.3, width: 0.4, height: 0.35 },
      sw: { x: 0.2, y: 0.3, width: 0.5, height: 0.35 },
      w: { x: 0.2, y: 0.3, width: 0.5, height: 0.4 },
    }

    it.each(handles)('moves only the edges that handle %s owns', (handle) => {
      expectRect(resizeRect(start, handle, -0.1, -0.05, free), moved[handle])
    })

    it.each(handles)('stops handle %s at the image border when dragged far out', (handle) => {
      const dx = handle.includes('w') ? -5 : 5
      const dy = handle.includes('n') ? -5 : 5
      const r = resizeRect(start, handle, dx, dy, free)
      const e = edges(r)
      expectInside(r)
      if (handle.includes('w')) expect(e.left).toBe(0)
      if (handle.includes('e')) expect(e.right).toBeCloseTo(1, 12)
      if (handle.includes('n')) expect(e.top).toBe(0)
      if (handle.includes('s')) expect(e.bottom).toBeCloseTo(1, 12)
    })

    it.each(handles)(
      'keeps the minimum size and the opposite side when handle %s crosses over',
      (handle) => {
        const dx = handle.includes('w') ? 5 : -5
        const dy = handle.includes('n') ? 5 : -5
        const r = resizeRect(start, handle, dx, dy, free)
        const e = edges(r)
        if (handle.includes('w')) expect(e.right).toBeCloseTo(0.7, 12)
        if (handle.includes('e')) expect(e.left).toBeCloseTo(0.3, 12)
        if (handle.includes('n')) expect(e.bottom).toBeCloseTo(0.7, 12)
        if (handle.includes('s')) expect(e.top).toBeCloseTo(0.3, 12)
        if (/[ew]/.test(handle)) expect(r.width).toBeCloseTo(minCropSide, 12)
        else expect(r.width).toBeCloseTo(0.4, 12)
        if (/[ns]/.test(handle)) expect(r.height).toBeCloseTo(minCropSide, 12)
        else expect(r.height).toBeCloseTo(0.4, 12)
      },
    )
  })

  describe('with an aspect', () => {
    // 1:1 in pixels on a 4:3 image is 0.75 normalised units wide per unit of height.
    const squareCrop: CropConstraints = { aspect: 1, imageSize: landscape }
    const fitted = { x: 0.3, y: 0.3, width: 0.3, height: 0.4 }
    const cases: [Handle, number, number][] = [
      ['nw', -0.1, -0.1],
      ['n', 0.2, -0.1],
      ['ne', 0.1, -0.1],
      ['e', 0.15, 0],
      ['se', 0.1, 0.1],
      ['s', 0, 0.1],
      ['sw', -0.1, 0.1],
      ['w', -0.15, 0],
    ]

    it.each(cases)(
      'keeps the pixel aspect and the opposite side with handle %s',
      (handle, dx, dy) => {
        const r = resizeRect(fitted, handle, dx, dy, squareCrop)
        const before = edges(fitted)
        const after = edges(r)
        expect(pixelAspect(r, landscape)).toBeCloseTo(1, 9)
        expect(r.width).toBeGreaterThan(fitted.width)
        expectInside(r)
        if (handle.includes('w')) expect(after.right).toBeCloseTo(before.right, 12)
        if (handle.includes('e')) expect(after.left).toBeCloseTo(before.left, 12)
        if (handle.includes('n')) expect(after.bottom).toBeCloseTo(before.bottom, 12)
        if (handle.includes('s')) expect(after.top).toBeCloseTo(before.top, 12)
      },
    )

    it('grows the other side of an edge handle about its centre', () => {
      const r = resizeRect(fitted, 'e', 0.15, 0, squareCrop)
      expectRect(r, { x: 0.3, y: 0.2, width: 0.45, height: 0.6 })
    })

    it('shifts an edge-handle box that would grow past the border back inside', () => {
      const nearTop = { x: 0.3, y: 0, width: 0.3, height: 0.4 }
      expectRect(resizeRect(nearTop, 'e', 0.15, 0, squareCrop), {
        x: 0.3,
        y: 0,
        width: 0.45,
        height: 0.6,
      })
    })

    it('takes the smallest box that reaches the pointer with a corner handle', () => {
      // The pointer went 0.15 right but only 0.05 down: width drives.
      expectRect(resizeRect(fitted, 'se', 0.15, 0.05, squareCrop), {
        x: 0.3,
        y: 0.3,
        width: 0.45,
        height: 0.6,
      })
      // Mostly down: height drives.
      expectRect(resizeRect(fitted, 'se', 0.01, 0.2, squareCrop), {
        x: 0.3,
        y: 0.3,
        width: 0.45,
        height: 0.6,
      })
    })

    it.each(cases)('stops handle %s where the first border is reached', (handle, dx, dy) => {
      const r = resizeRect(fitted, handle, dx * 50, dy * 50, squareCrop)
      expectInside(r)
      expect(pixelAspect(r, landscape)).toBeCloseTo(1, 9)
      const e = edges(r)
      const touches = [e.left, e.top, 1 - e.right, 1 - e.bottom].some((d) => Math.abs(d) < 1e-9)
      expect(touches).toBe(true)
    })

    it.each(cases)('keeps the minimum size when handle %s is dragged inwards', (handle, dx, dy) => {
      const r = resizeRect(fitted, handle, -dx * 50, -dy * 50, squareCrop)
      expect(pixelAspect(r, landscape)).toBeCloseTo(1, 9)
      // 0.75 wide per unit high: the width is the short side.
      expect(r.width).toBeCloseTo(minCropSide, 12)
      expect(r.height).toBeGreaterThanOrEqual(minCropSide)
    })

    it('keeps a square crop of a very wide panorama tall enough to be 2 % wide', () => {
      const panorama = { width: 10_000, height: 500 }
      const c = { aspect: 1, imageSize: panorama }
      const full = fitRectToAspect(panorama, 1)
      expectRect(full, { x: 0.475, y: 0, width: 0.05, height: 1 })
      const smallest = resizeRect(full, 'se', -1, -1, c)
      expect(pixelAspect(smallest, panorama)).toBeCloseTo(1, 9)
      expectRect(smallest, { x: 0.475, y: 0, width: minCropSide, height: 0.4 })
      const largest = resizeRect(smallest, 'se', 1, 1, c)
      expectRect(largest, { x: 0.475, y: 0, width: 0.05, height: 1 })
    })

    it('allows a crop thinner than the minimum when the aspect leaves no other choice', () => {
      const c = { aspect: 100, imageSize: square }
      const full = fitRectToAspect(square, 100)
      expectRect(full, { x: 0, y: 0.495, width: 1, height: 0.01 })
      expectRect(resizeRect(full, 'se', -1, -1, c), full)
      expectRect(resizeRect(full, 's', 0, 0.5, c), full)
    })

    it('snaps a box of another shape to the aspect on the first resize', () => {
      const r = resizeRect({ x: 0, y: 0, width: 1, height: 1 }, 'e', 0, 0, {
        aspect: 16 / 9,
        imageSize: square,
      })
      expect(pixelAspect(r, square)).toBeCloseTo(16 / 9, 9)
      expectInside(r)
    })
  })
})

describe(fitRectToAspect, () => {
  it.each([
    ['1:1', 1, { x: 0.125, y: 0, width: 0.75, height: 1 }],
    ['4:3', 4 / 3, { x: 0, y: 0, width: 1, height: 1 }],
    ['16:9', 16 / 9, { x: 0, y: 0.125, width: 1, height: 0.75 }],
    ['3:2', 3 / 2, { x: 0, y: 1 / 18, width: 1, height: 8 / 9 }],
    ['original', 4000 / 3000, { x: 0, y: 0, width: 1, height: 1 }],
    ['free', null, { x: 0, y: 0, width: 1, height: 1 }],
  ] as const)('gives the largest centred %s box on a 4000×3000 image', (_, aspect, expected) => {
    const r = fitRectToAspect(landscape, aspect)
    expectRect(r, expected)
    if (aspect !== null) expect(pixelAspect(r, landscape)).toBeCloseTo(aspect, 9)
  })

  it('fits a portrait aspect to a landscape image by height', () => {
    const r = fitRectToAspect(landscape, 2 / 3)
    expect(r.height).toBe(1)
    expect(pixelAspect(r, landscape)).toBeCloseTo(2 / 3, 9)
    expect(r.x + r.width / 2).toBeCloseTo(0.5, 12)
  })

  it('treats an unusable image size as a free crop', () => {
    expect(normalisedAspect({ aspect: 1, imageSize: { width: 0, height: 0 } })).toBeNull()
  })
})

describe(nudgeRect, () => {
  const rect = { x: 0.4, y: 0.4, width: 0.2, height: 0.2 }

  it('moves the box 1 % per arrow and ignores other keys', () => {
    expectRect(nudgeRect(rect, 'ArrowRight', false, free)!, { ...rect, x: 0.41 })
    expectRect(nudgeRect(rect, 'ArrowUp', false, free)!, { ...rect, y: 0.39 })
    expect(nudgeRect(rect, 'Enter', false, free)).toBeNull()
  })

  it('resizes the bottom-right corner with Shift', () => {
    expectRect(nudgeRect(rect, 'ArrowLeft', true, free)!, { ...rect, width: 0.19 })
    expectRect(nudgeRect(rect, 'ArrowDown', true, free)!, { ...rect, height: 0.21 })
  })

  it('shrinks and grows with Shift while keeping an aspect', () => {
    const c = { aspect: 1, imageSize: landscape }
    const fitted = { x: 0.4, y: 0.4, width: 0.15, height: 0.2 }
    const narrower = nudgeRect(fitted, 'ArrowLeft', true, c)!
    expect(narrower.width).toBeCloseTo(0.14, 12)
    expect(pixelAspect(narrower, landscape)).toBeCloseTo(1, 9)
    const shorter = nudgeRect(fitted, 'ArrowUp', true, c)!
    expect(shorter.height).toBeCloseTo(0.19, 12)
    expect(pixelAspect(shorter, landscape)).toBeCloseTo(1, 9)
    const taller = nudgeRect(fitted, 'ArrowDown', true, c)!
    expect(taller.height).toBeCloseTo(0.21, 12)
    expect(taller.x).toBe(0.4)
  })
})

describe(nudgePoint, () => {
  it('moves 0.5 % per arrow, 2 % with Shift', () => {
    const [x, y] = nudgePoint([0.5, 0.5], 'ArrowRight', false)!
    expect(x).toBeCloseTo(0.505, 12)
    expect(y).toBe(0.5)
    expect(nudgePoint([0.5, 0.5], 'ArrowUp', true)![1]).toBeCloseTo(0.48, 12)
    expect(nudgePoint([0.5, 0.5], 'a', true)).toBeNull()
  })

  it('brings a corner that strayed outside the image back to the border', () => {
    expect(nudgePoint([-0.2, 1.3], 'ArrowLeft', false)).toEqual([0, 1])
    expect(clampPoint([1.2, -0.4])).toEqual([1, 0])
  })
})

describe(replaceCorner, () => {
  it('replaces one corner and leaves the input untouched', () => {
    const corners: Corners = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ]
    expect(replaceCorner(corners, 2, [0.9, 0.8])).toEqual([
      [0, 0],
      [1, 0],
      [0.9, 0.8],
      [0, 1],
    ])
    expect(corners[2]).toEqual([1, 1])
  })
})

describe(nudgePercent, () => {
  it('steps 2 % per arrow, 10 % per page and jumps with Home and End, within 0–100', () => {
    expect(nudgePercent(50, 'ArrowRight')).toBe(52)
    expect(nudgePercent(50, 'ArrowDown')).toBe(48)
    expect(nudgePercent(50, 'PageUp')).toBe(60)
    expect(nudgePercent(99, 'ArrowUp')).toBe(100)
    expect(nudgePercent(1, 'ArrowLeft')).toBe(0)
    expect(nudgePercent(50, 'Home')).toBe(0)
    expect(nudgePercent(50, 'End')).toBe(100)
    expect(nudgePercent(50, 'x')).toBeNull()
  })
})
