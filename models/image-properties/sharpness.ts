import type { Grey } from './grey'

/**
 * Variance of the 3×3 four-neighbour Laplacian [0 1 0; 1 −4 1; 0 1 0] over the interior pixels
 * of a 0–255 grey image (grey levels²). Higher is sharper; 0 for a flat image.
 */
export function laplacianVariance({ data, width, height }: Grey): number {
  if (width < 3 || height < 3) return 0
  let sum = 0
  let sumSquares = 0
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const v = data[i - width]! + data[i + width]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!
      sum += v
      sumSquares += v * v
    }
  }
  const count = (width - 2) * (height - 2)
  const mean = sum / count
  return Math.max(0, sumSquares / count - mean * mean)
}

/**
 * Laplacian variance (grey at 512 px long side) below which a photo counts as blurry. Calibrated on
 * the fixtures: sharp photos score 128–2029, the same blurred by a Gaussian of σ = 3 px 0.9–12;
 * 40 is about their geometric middle. A σ = 1 px blur (17–311) mostly stays above it.
 */
export const blurryBelow = 40
