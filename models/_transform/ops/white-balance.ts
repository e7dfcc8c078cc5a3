import { mapChannels } from './lut'
import type { OperationFn } from './types'

/** Grey world: scales R, G and B (a `cv.LUT` table each) so their means all equal their average. */
export const whiteBalance: OperationFn<'white-balance'> = (src, _operation, { cv }) => {
  const [r = 0, g = 0, b = 0] = cv.mean(src)
  const means = [r, g, b]
  const target = (r + g + b) / 3
  // A black image or one with an empty channel has no cast to measure.
  if (means.some((mean) => mean < 1)) return src
  const gains = means.map((mean) => target / mean)
  return mapChannels(cv, src, (channel, level) => level * gains[channel]!)
}
