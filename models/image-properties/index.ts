import { resize } from '../_shared/image'
import { UnsupportedInputError } from '../errors'
import { defineTask, type RgbaImage } from '../types'
import { dominantColours, type DominantColour } from './dominant-colours'
import { toGrey } from './grey'
import { manifest, type Options } from './manifest'
import { immerkaerSigma } from './noise'
import { perceptualHash } from './phash'
import { blurryBelow, laplacianVariance } from './sharpness'
import { measureTone, type Exposure } from './tone'

/** Photo-level measurements; every number is finite. */
export interface ImageProperties {
  /** Size of the analysed image in pixels. */
  width: number
  height: number
  /** Width / height. */
  aspectRatio: number
  /** Width × height / 10⁶. */
  megapixels: number
  /** Dominant colours, largest share first (on at most 65,536 pixels). */
  colours: DominantColour[]
  /** Mean Rec. 709 luma of the gamma-encoded pixels, 0–1 (all pixels). */
  brightness: number
  /** RMS contrast: standard deviation of that luma, 0–0.5 (all pixels). */
  contrast: number
  exposure: Exposure
  sharpness: {
    /** Variance of the Laplacian of the grey image at 512 px on the long side, in grey levels². */
    score: number
    /** `score` < `blurryBelow` (40). */
    blurry: boolean
  }
  noise: {
    /** Immerkær noise σ in 0–255 grey levels, at no more than 1024 px on the long side. */
    sigma: number
  }
  /** 64-bit DCT perceptual hash, 16 hex digits; compare with `hammingDistance`/`isNearDuplicate`. */
  phash: string
}

/** Long side of the grey image the Laplacian runs on, so the score does not depend on resolution. */
export const sharpnessSize = 512
/** Longest side the noise estimate (and every other downscaled measure) starts from. */
export const workingSize = 1024
/** Most pixels the colour k-means clusters. */
export const colourSamples = 65_536

// `+ 0` turns −0 into 0, which JSON would do anyway.
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits + 0

/** Scales `image` so its long side is `longSide` (both ways when `upscale`, else only down). */
function scaleLongSide(image: RgbaImage, longSide: number, upscale: boolean): RgbaImage {
  const scale = longSide / Math.max(image.width, image.height)
  if (scale >= 1 && !upscale) return image
  return resize(
    image,
    Math.max(3, Math.round(image.width * scale)),
    Math.max(3, Math.round(image.height * scale)),
  )
}

function scaleToArea(image: RgbaImage, maxPixels: number): RgbaImage {
  const scale = Math.sqrt(maxPixels / (image.width * image.height))
  if (scale >= 1) return image
  return resize(
    image,
    Math.max(1, Math.floor(image.width * scale)),
    Math.max(1, Math.floor(image.height * scale)),
  )
}

/**
 * Size, dominant colours, brightness, contrast, exposure, sharpness, noise and perceptual hash of
 * an image, in plain TypeScript.
 *
 * @example
 * const { colours, exposure, phash } = await task.analyze(image, manifest.defaultOptions, ctx)
 */
async function analyze(image: RgbaImage, options: Options): Promise<ImageProperties> {
  const { width, height } = image
  if (width < 3 || height < 3) {
    throw new UnsupportedInputError(
      `Image properties need an image of at least 3×3 pixels; this one is ${width}×${height}.`,
    )
  }
  const k = options.colourCount
  if (!Number.isInteger(k) || k < 1 || k > 16) {
    throw new RangeError(`colourCount must be an integer from 1 to 16, got ${k}`)
  }
  const working = scaleLongSide(image, workingSize, false)
  const tone = measureTone(image)
  const variance = laplacianVariance(toGrey(scaleLongSide(working, sharpnessSize, true)))
  return {
    width,
    height,
    aspectRatio: round(width / height, 4),
    megapixels: round((width * height) / 1e6, 3),
    colours: dominantColours(scaleToArea(working, colourSamples), { k }),
    brightness: round(tone.brightness, 4),
    contrast: round(tone.contrast, 4),
    exposure: {
      verdict: tone.exposure.verdict,
      shadowsClipped: round(tone.exposure.shadowsClipped, 4),
      highlightsClipped: round(tone.exposure.highlightsClipped, 4),
    },
    sharpness: { score: round(variance, 1), blurry: variance < blurryBelow },
    noise: { sigma: round(immerkaerSigma(toGrey(working)), 2) },
    phash: perceptualHash(working),
  }
}

export default defineTask({ manifest, analyze })
