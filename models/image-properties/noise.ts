import type { Grey } from './grey'

/**
 * Noise standard deviation in grey levels (0–255) by Immerkær, "Fast Noise Variance Estimation",
 * Computer Vision and Image Understanding 64(2), 1996: σ = √(π/2) · Σ|I ∗ N| / (6 (W−2)(H−2)) with
 * N = [1 −2 1; −2 4 −2; 1 −2 1], over the interior pixels. N cancels planes and ramps, so smooth
 * shading does not count; edges and fine texture do (the method's known bias upward).
 */
export function immerkaerSigma({ data, width, height }: Grey): number {
  if (width < 3 || height < 3) return 0
  let sum = 0
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const above = i - width
      const below = i + width
      const v =
        data[above - 1]! -
        2 * data[above]! +
        data[above + 1]! -
        2 * data[i - 1]! +
        4 * data[i]! -
        2 * data[i + 1]! +
        data[below - 1]! -
        2 * data[below]! +
        data[below + 1]!
      sum += Math.abs(v)
    }
  }
  return (Math.sqrt(Math.PI / 2) * sum) / (6 * (width - 2) * (height - 2))
}
