import type { Mat, OpenCv } from '../../_shared/opencv'
import type { RgbaImage } from '../../types'

/** Writes a greyscale copy of `image` into `gray`, its long side at most `maxSide` px. */
export function workingGray(cv: OpenCv, image: RgbaImage, gray: Mat, maxSide: number): void {
  const rgba = cv.matFromImageData(image as ImageData)
  try {
    cv.cvtColor(rgba, gray, cv.COLOR_RGBA2GRAY)
  } finally {
    rgba.delete()
  }
  const scale = maxSide / Math.max(image.width, image.height)
  if (scale < 1) {
    const size = new cv.Size(Math.round(image.width * scale), Math.round(image.height * scale))
    cv.resize(gray, gray, size, 0, 0, cv.INTER_AREA)
  }
}
