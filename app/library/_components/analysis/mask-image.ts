/** A probability mask (0–255) as a PNG data URL, tinted `colour` with the mask as alpha. */
export function maskToDataUrl(
  mask: { width: number; height: number; data: Uint8Array },
  colour: string,
): string {
  const canvas = document.createElement('canvas')
  canvas.width = mask.width
  canvas.height = mask.height
  const context = canvas.getContext('2d')
  if (!context) return ''
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16))
  const pixels = context.createImageData(mask.width, mask.height)
  for (let i = 0; i < mask.data.length; i++) {
    pixels.data.set([r!, g!, b!, mask.data[i]!], i * 4)
  }
  context.putImageData(pixels, 0, 0)
  return canvas.toDataURL('image/png')
}
