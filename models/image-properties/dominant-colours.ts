import type { RgbaImage } from '../types'
import { deltaE2000, labToRgb, parseHex, rgbToLab, toHex, type Lab, type Rgb } from './colour-space'
import { cssColours, type CssColourName } from './css-colours'
import { mulberry32 } from './random'

/** One dominant colour of an image. */
export interface DominantColour {
  /** `#rrggbb` of `rgb`. */
  hex: string
  /** The cluster centre in sRGB, 0–255 (clipped to the gamut). */
  rgb: Rgb
  /** The cluster centre in CIE Lab (D65), to 0.01. */
  lab: Lab
  /** Fraction of the sampled pixels in this cluster, 0–1 to 4 decimals; shares sum to 1. */
  share: number
  /** Nearest CSS named colour by CIEDE2000 (first in alphabetical order on a tie). */
  name: CssColourName
}

export interface KMeansOptions {
  /** Cluster count before merging. */
  k: number
  /** Clusters closer than this CIEDE2000 difference are merged. */
  mergeDeltaE?: number
  maxIterations?: number
  seed?: number
}

// ΔE00 ≈ 1 is a just-noticeable difference; below 5 two swatches read as "the same colour" at a
// glance, so such clusters are one colour to a user.
const defaultMergeDeltaE = 5
const defaultMaxIterations = 50
const defaultSeed = 0x5eed

// `+ 0` turns −0 into 0, which JSON would do anyway.
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits + 0

const namedLabs = Object.entries(cssColours).map(([name, hex]) => {
  const [r, g, b] = parseHex(hex)
  return { name: name as CssColourName, lab: rgbToLab(r, g, b) }
})

/** The CSS named colour nearest to a Lab colour by CIEDE2000. */
export function nearestCssColour(lab: Lab): CssColourName {
  let best = namedLabs[0]!
  let bestDistance = Infinity
  for (const named of namedLabs) {
    const distance = deltaE2000(lab, named.lab)
    if (distance < bestDistance) {
      best = named
      bestDistance = distance
    }
  }
  return best.name
}

/**
 * Dominant colours by weighted k-means in CIE Lab over every pixel of `image` (pass a downscaled
 * copy), binned to 5 bits per channel first, seeded by k-means++ from a fixed-seed PRNG, with
 * near-equal clusters merged. Largest share first. Alpha is ignored.
 */
export function dominantColours(image: RgbaImage, options: KMeansOptions): DominantColour[] {
  const { labs, weights } = binColours(image)
  const total = image.width * image.height
  const clusters = merge(kMeans(labs, weights, options), options.mergeDeltaE ?? defaultMergeDeltaE)
  return clusters
    .map(({ lab, weight }) => {
      const rgb = labToRgb(lab)
      return {
        hex: toHex(rgb),
        rgb,
        lab: [round(lab[0], 2), round(lab[1], 2), round(lab[2], 2)] as const,
        share: round(weight / total, 4),
        name: nearestCssColour(lab),
      }
    })
    .sort((p, q) => q.share - p.share)
}

/**
 * Pixels binned by their top 5 bits per channel (32,768 bins, as Android's Palette quantises),
 * each bin standing for the mean colour of its pixels, weighted by their count. Bins are visited
 * in index order, so the result does not depend on pixel order.
 */
function binColours(image: RgbaImage) {
  const { data } = image
  const sums = new Float64Array(32_768 * 4)
  for (let p = 0; p < image.width * image.height * 4; p += 4) {
    const r = data[p]!
    const g = data[p + 1]!
    const b = data[p + 2]!
    const bin = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)
    sums[bin * 4]! += 1
    sums[bin * 4 + 1]! += r
    sums[bin * 4 + 2]! += g
    sums[bin * 4 + 3]! += b
  }
  let used = 0
  for (let bin = 0; bin < 32_768; bin++) if (sums[bin * 4]! > 0) used++
  const labs = new Float64Array(used * 3)
  const weights = new Float64Array(used)
  for (let bin = 0, i = 0; bin < 32_768; bin++) {
    const count = sums[bin * 4]!
    if (count === 0) continue
    const mean = (channel: number) => sums[bin * 4 + channel]! / count
    labs.set(rgbToLab(mean(1), mean(2), mean(3)), i * 3)
    weights[i++] = count
  }
  return { labs, weights }
}

interface Cluster {
  lab: Lab
  weight: number
}

function kMeans(labs: Float64Array, weights: Float64Array, options: KMeansOptions): Cluster[] {
  const n = weights.length
  if (n === 0) return []
  const random = mulberry32(options.seed ?? defaultSeed)
  const centres: number[] = []
  const nearest = new Float64Array(n).fill(Infinity)
  const distance2 = (i: number, c: number) =>
    (labs[i * 3]! - centres[c * 3]!) ** 2 +
    (labs[i * 3 + 1]! - centres[c * 3 + 1]!) ** 2 +
    (labs[i * 3 + 2]! - centres[c * 3 + 2]!) ** 2

  // k-means++ (Arthur and Vassilvitskii 2007): each next centre is drawn with probability
  // proportional to weight × squared distance to the nearest centre so far.
  let mass = weights.reduce((sum, w) => sum + w, 0)
  let scores = weights
  while (centres.length / 3 < options.k && mass > 0) {
    let target = random() * mass
    let pick = 0
    while (pick < n - 1 && target >= scores[pick]!) target -= scores[pick++]!
    centres.push(labs[pick * 3]!, labs[pick * 3 + 1]!, labs[pick * 3 + 2]!)
    const c = centres.length / 3 - 1
    const next = new Float64Array(n)
    mass = 0
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, distance2(i, c))
      next[i] = weights[i]! * nearest[i]!
      mass += next[i]!
    }
    scores = next
  }

  // Lloyd iterations until no assignment changes.
  const k = centres.length / 3
  const assignment = new Int32Array(n).fill(-1)
  const sums = new Float64Array(k * 4)
  for (
    let iteration = 0;
    iteration < (options.maxIterations ?? defaultMaxIterations);
    iteration++
  ) {
    let changed = false
    sums.fill(0)
    for (let i = 0; i < n; i++) {
      let best = 0
      let bestDistance = Infinity
      for (let c = 0; c < k; c++) {
        const d = distance2(i, c)
        if (d < bestDistance) {
          best = c
          bestDistance = d
        }
      }
      if (assignment[i] !== best) {
        assignment[i] = best
        changed = true
      }
      const w = weights[i]!
      sums[best * 4]! += w
      sums[best * 4 + 1]! += w * labs[i * 3]!
      sums[best * 4 + 2]! += w * labs[i * 3 + 1]!
      sums[best * 4 + 3]! += w * labs[i * 3 + 2]!
    }
    for (let c = 0; c < k; c++) {
      const w = sums[c * 4]!
      if (w > 0) for (let d = 0; d < 3; d++) centres[c * 3 + d] = sums[c * 4 + 1 + d]! / w
    }
    if (!changed) break
  }

  const clusters: Cluster[] = []
  for (let c = 0; c < k; c++) {
    const weight = sums[c * 4]!
    if (weight > 0) {
      clusters.push({ lab: [centres[c * 3]!, centres[c * 3 + 1]!, centres[c * 3 + 2]!], weight })
    }
  }
  return clusters
}

/** Repeatedly merges the closest pair of clusters while it is closer than `maxDeltaE`. */
function merge(clusters: Cluster[], maxDeltaE: number): Cluster[] {
  const out = [...clusters]
  for (;;) {
    let pair: [number, number] | undefined
    let closest = maxDeltaE
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const d = deltaE2000(out[i]!.lab, out[j]!.lab)
        if (d < closest) {
          closest = d
          pair = [i, j]
        }
      }
    }
    if (!pair) return out
    const p = out[pair[0]]!
    const q = out.splice(pair[1], 1)[0]!
    const weight = p.weight + q.weight
    const mix = (d: number) => (p.lab[d]! * p.weight + q.lab[d]! * q.weight) / weight
    out[pair[0]] = { lab: [mix(0), mix(1), mix(2)], weight }
  }
}
