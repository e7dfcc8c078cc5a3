import { deltaE2000, deltaE76, labToRgb, parseHex, rgbToLab, toHex, type Lab } from './colour-space'

const expectLab = (actual: Lab, expected: Lab, digits = 2) =>
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits))

describe(rgbToLab, () => {
  it('maps white to L 100 and black to L 0, both neutral', () => {
    expectLab(rgbToLab(255, 255, 255), [100, 0, 0], 3)
    expectLab(rgbToLab(0, 0, 0), [0, 0, 0], 6)
  })

  it('maps sRGB primaries to their reference Lab values', () => {
    // Bruce Lindbloom's calculator, sRGB, D65, no adaptation.
    expectLab(rgbToLab(255, 0, 0), [53.2408, 80.0925, 67.2032])
    expectLab(rgbToLab(0, 255, 0), [87.7347, -86.1827, 83.1793])
    expectLab(rgbToLab(0, 0, 255), [32.297, 79.1875, -107.8602])
  })

  it('keeps greys neutral', () => {
    const [l, a, b] = rgbToLab(119, 119, 119)
    expect(l).toBeCloseTo(50, 0)
    expect(Math.hypot(a, b)).toBeLessThan(1e-3)
  })
})

describe(labToRgb, () => {
  it('inverts rgbToLab', () => {
    const colours: [number, number, number][] = [
      [255, 0, 0],
      [12, 200, 99],
      [128, 128, 128],
      [250, 240, 230],
      [0, 0, 0],
    ]
    for (const rgb of colours) {
      expect(labToRgb(rgbToLab(...rgb))).toEqual(rgb)
    }
  })

  it('clips colours outside the sRGB gamut', () => {
    const rgb = labToRgb([50, 120, -120])
    for (const v of rgb) expect(v >= 0 && v <= 255).toBe(true)
  })
})

describe(deltaE2000, () => {
  // Test pairs 1, 7, 17, 18, 19 and 20 of Sharma, Wu and Dalal (2005), table 1.
  it.each([
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[50, 2.5, 0], [61, -5, 29], 22.8977],
    [[50, 2.5, 0], [56, -27, -3], 31.903],
    [[50, 2.5, 0], [58, 24, 15], 19.4535],
  ] as [Lab, Lab, number][])('%j vs %j is %d', (p, q, expected) => {
    expect(deltaE2000(p, q)).toBeCloseTo(expected, 4)
    expect(deltaE2000(q, p)).toBeCloseTo(expected, 4)
  })

  it('is 0 for identical colours', () => {
    expect(deltaE2000([40, 10, -5], [40, 10, -5])).toBe(0)
  })
})

describe(deltaE76, () => {
  it('is the Euclidean distance in Lab', () => {
    expect(deltaE76([50, 0, 0], [53, 4, 0])).toBeCloseTo(5, 10)
  })
})

describe(toHex, () => {
  it('writes two lower-case digits per channel and parses back', () => {
    expect(toHex([255, 8, 171])).toBe('#ff08ab')
    expect(parseHex('#ff08ab')).toEqual([255, 8, 171])
  })
})
