import { resize } from '../_shared/image'
import type { RgbaImage } from '../types'
import { toGrey } from './grey'

const size = 32
const block = 8

// cosines[u][x] = cos(π (x + ½) u / 32): the DCT-II basis for frequencies 1–8 (row 0 unused).
const cosines = Array.from({ length: block + 1 }, (_, u) =>
  Float64Array.from({ length: size }, (_, x) => Math.cos((Math.PI * (x + 0.5) * u) / size)),
)

/**
 * 64-bit DCT perceptual hash as 16 hex digits, as pHash's `ph_dct_imagehash` (phash.org): grey,
 * resized to 32×32, 2-D DCT-II, the 8×8 coefficients at frequencies 1–8 (skipping the DC row and
 * column), each bit set when its coefficient exceeds their median. Bits run row by row, the first
 * coefficient in the most significant bit.
 */
export function perceptualHash(image: RgbaImage): string {
  const grey = toGrey(resize(image, size, size)).data
  // Rows first: rowSums[y][u] = Σx grey[y][x] cos(u); then columns: coefficient(v, u).
  const rows = new Float64Array(size * block)
  for (let y = 0; y < size; y++) {
    for (let u = 1; u <= block; u++) {
      let sum = 0
      for (let x = 0; x < size; x++) sum += grey[y * size + x]! * cosines[u]![x]!
      rows[y * block + u - 1] = sum
    }
  }
  const coefficients = new Float64Array(block * block)
  for (let v = 1; v <= block; v++) {
    for (let u = 0; u < block; u++) {
      let sum = 0
      for (let y = 0; y < size; y++) sum += rows[y * block + u]! * cosines[v]![y]!
      coefficients[(v - 1) * block + u] = sum
    }
  }
  const sorted = coefficients.slice().sort()
  const median = (sorted[31]! + sorted[32]!) / 2
  let hex = ''
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0
    for (let bit = 0; bit < 4; bit++) {
      value = (value << 1) | (coefficients[nibble * 4 + bit]! > median ? 1 : 0)
    }
    hex += value.toString(16)
  }
  return hex
}

const hashPattern = /^[0-9a-f]{16}$/i

/** Number of differing bits (0–64) between two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  for (const hash of [a, b]) {
    if (!hashPattern.test(hash)) {
      throw new RangeError(`Expected a hash of 16 hex digits, got "${hash}"`)
    }
  }
  let distance = 0
  for (let i = 0; i < 16; i++) {
    let x = Number.parseInt(a[i]!, 16) ^ Number.parseInt(b[i]!, 16)
    for (; x; x &= x - 1) distance++
  }
  return distance
}

/**
 * Whether two perceptual hashes are of the same picture (resized, re-encoded, lightly edited).
 * 10 bits is imagededup's default `max_distance_threshold` for its hashes and N. Krawetz's
 * ("Looks Like It", 2011) point past which a pair is "probably a very different picture".
 */
export const isNearDuplicate = (a: string, b: string, maxDistance = 10) =>
  hammingDistance(a, b) <= maxDistance
