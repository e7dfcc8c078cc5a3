import { exposureThresholds, exposureVerdict, measureTone } from './tone'

/** An image of grey pixels with the given levels, repeated. */
function greys(levels: number[], repeat = 10) {
  const count = levels.length * repeat
  const data = new Uint8ClampedArray(count * 4)
  for (let i = 0; i < count; i++) {
    const v = levels[i % levels.length]!
    data.set([v, v, v, 255], i * 4)
  }
  return { data, width: count, height: 1 }
}

describe(measureTone, () => {
  it('gives a flat image its level as brightness and no contrast', () => {
    const tone = measureTone(greys([51]))
    expect(tone.brightness).toBeCloseTo(0.2, 6)
    expect(tone.contrast).toBeCloseTo(0, 6)
    expect(tone.exposure).toEqual({ verdict: 'ok', shadowsClipped: 0, highlightsClipped: 0 })
  })

  it('gives half black, half white brightness 0.5, contrast 0.5 and both halves clipped', () => {
    const tone = measureTone(greys([0, 255]))
    expect(tone.brightness).toBeCloseTo(0.5, 6)
    expect(tone.contrast).toBeCloseTo(0.5, 6)
    expect(tone.exposure.shadowsClipped).toBe(0.5)
    expect(tone.exposure.highlightsClipped).toBe(0.5)
  })

  it('weights channels by Rec. 709 luma', () => {
    const data = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255])
    const red = measureTone({ data: data.slice(0, 4), width: 1, height: 1 })
    const green = measureTone({ data: data.slice(4, 8), width: 1, height: 1 })
    const blue = measureTone({ data: data.slice(8), width: 1, height: 1 })
    expect([red.brightness, green.brightness, blue.brightness]).toEqual([0.2126, 0.7152, 0.0722])
  })

  it('counts luma ≤ 2 as crushed and ≥ 253 as blown', () => {
    const { exposure } = measureTone(greys([2, 3, 252, 253]))
    expect(exposure.shadowsClipped).toBe(0.25)
    expect(exposure.highlightsClipped).toBe(0.25)
  })
})

describe(exposureVerdict, () => {
  const t = exposureThresholds

  it('places the thresholds at whole stops from middle grey', () => {
    expect(t.underBrightness).toBeCloseTo(0.162, 3)
    expect(t.underBrightnessIfClipped).toBeCloseTo(0.235, 3)
    expect(t.overBrightnessIfClipped).toBeCloseTo(0.634, 3)
    expect(t.overBrightness).toBeCloseTo(0.865, 3)
  })

  it('calls a dark mean under and a bright mean over, whatever the clipping', () => {
    expect(exposureVerdict(0.15, 0, 0)).toBe('under')
    expect(exposureVerdict(0.88, 0, 0)).toBe('over')
    expect(exposureVerdict(0.46, 0, 0)).toBe('ok')
  })

  it('needs clipping to call a moderately dark or bright mean', () => {
    expect(exposureVerdict(0.2, 0.05, 0)).toBe('ok')
    expect(exposureVerdict(0.2, 0.1, 0)).toBe('under')
    expect(exposureVerdict(0.7, 0, 0.05)).toBe('ok')
    expect(exposureVerdict(0.7, 0, 0.1)).toBe('over')
  })

  it('ignores clipping when the mean is mid-grey', () => {
    expect(exposureVerdict(0.46, 0.3, 0.3)).toBe('ok')
  })
})
