import type { RgbaImage } from '../types'
import { encodeSrgb } from './colour-space'

/** Exposure verdict with the clipped shares it rests on. */
export interface Exposure {
  verdict: 'under' | 'over' | 'ok'
  /** Fraction of pixels with luma ≤ 2/255 (crushed blacks), 0–1. */
  shadowsClipped: number
  /** Fraction of pixels with luma ≥ 253/255 (blown highlights), 0–1. */
  highlightsClipped: number
}

export interface Tone {
  /** Mean Rec. 709 luma of the gamma-encoded pixels, 0–1. */
  brightness: number
  /** RMS contrast: standard deviation of that luma, 0–0.5. */
  contrast: number
  exposure: Exposure
}

/** Luma of sRGB-encoded 18 % grey (photographic middle grey) moved by `stops` (factors of 2). */
const lumaAtStops = (stops: number) => encodeSrgb(0.18 * 2 ** stops)

// Heuristic verdicts, in stops from middle grey (0.461 encoded). sRGB holds about 2.5 stops above
// middle grey and many below, so "under" needs a mean 3 stops down (2 with ≥ 10 % of pixels
// crushed) and "over" 2 stops up (1 with ≥ 10 % blown). Night and low-key scenes (fixtures/rocket.jpg
// at 0.22) stay "ok"; every fixture darkened to 0.2× falls under 0.14.
export const exposureThresholds = {
  /** ≈ 0.162 */
  underBrightness: lumaAtStops(-3),
  /** ≈ 0.235 */
  underBrightnessIfClipped: lumaAtStops(-2),
  /** ≈ 0.865 */
  overBrightness: lumaAtStops(2),
  /** ≈ 0.634 */
  overBrightnessIfClipped: lumaAtStops(1),
  clippedShare: 0.1,
} as const

/**
 * Brightness, RMS contrast and clipping over every pixel of the image. Luma is Rec. 709
 * (0.2126 R′ + 0.7152 G′ + 0.0722 B′) on the gamma-encoded bytes; alpha is ignored.
 */
export function measureTone(image: RgbaImage): Tone {
  const { data } = image
  const count = image.width * image.height
  let sum = 0
  let sumSquares = 0
  let shadows = 0
  let highlights = 0
  for (let p = 0; p < count * 4; p += 4) {
    const y = 0.2126 * data[p]! + 0.7152 * data[p + 1]! + 0.0722 * data[p + 2]!
    sum += y
    sumSquares += y * y
    if (y <= 2) shadows++
    else if (y >= 253) highlights++
  }
  const mean = sum / count
  const brightness = mean / 255
  const contrast = Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) / 255
  const shadowsClipped = shadows / count
  const highlightsClipped = highlights / count
  return {
    brightness,
    contrast,
    exposure: {
      verdict: exposureVerdict(brightness, shadowsClipped, highlightsClipped),
      shadowsClipped,
      highlightsClipped,
    },
  }
}

/** 'under', 'over' or 'ok' from mean luma (0–1) and clipped shares (0–1); see `exposureThresholds`. */
export function exposureVerdict(
  brightness: number,
  shadowsClipped: number,
  highlightsClipped: number,
): Exposure['verdict'] {
  const t = exposureThresholds
  if (
    brightness < t.underBrightness ||
    (shadowsClipped >= t.clippedShare && brightness < t.underBrightnessIfClipped)
  ) {
    return 'under'
  }
  if (
    brightness > t.overBrightness ||
    (highlightsClipped >= t.clippedShare && brightness > t.overBrightnessIfClipped)
  ) {
    return 'over'
  }
  return 'ok'
}
