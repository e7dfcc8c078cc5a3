import { fitWithin, makeThumbnail } from './thumbnail'

interface Size {
  width: number
  height: number
}

/**
 * Stands in for Chromium's createImageBitmap and OffscreenCanvas, as measured in Chromium 156:
 * with `imageOrientation: 'from-image'` the bitmap has the displayed (upright) size.
 */
function stubDecoder(decoded: Size | undefined) {
  const bitmap = { width: 0, height: 0, close: vi.fn() }
  const createImageBitmap = vi.fn(async (_file: Blob, _options: ImageBitmapOptions = {}) => {
    if (!decoded) {
      throw new DOMException('The source image could not be decoded.', 'InvalidStateError')
    }
    bitmap.width = decoded.width
    bitmap.height = decoded.height
    return bitmap
  })
  const drawImage = vi.fn()
  class FakeOffscreenCanvas {
    constructor(
      readonly width: number,
      readonly height: number,
    ) {}
    getContext() {
      return { drawImage, imageSmoothingQuality: 'low' }
    }
    async convertToBlob(options: { type: string }) {
      return new Blob([new Uint8Array(16)], { type: options.type })
    }
  }
  vi.stubGlobal('createImageBitmap', createImageBitmap)
  vi.stubGlobal('OffscreenCanvas', FakeOffscreenCanvas)
  return { createImageBitmap, bitmap, drawImage }
}

const file = (name: string) => new File([new Uint8Array(8)], name)

afterEach(() => {
  vi.unstubAllGlobals()
})

describe(fitWithin, () => {
  it.each([
    [
      { width: 640, height: 427 },
      { width: 384, height: 256 },
    ],
    [
      { width: 256, height: 427 },
      { width: 230, height: 384 },
    ],
    [
      { width: 512, height: 512 },
      { width: 384, height: 384 },
    ],
    [
      { width: 200, height: 144 },
      { width: 200, height: 144 },
    ],
    [
      { width: 20_000, height: 10 },
      { width: 384, height: 1 },
    ],
  ])('fits %o as %o', (size, fitted) => {
    expect(fitWithin(size)).toEqual(fitted)
  })
})

describe(makeThumbnail, () => {
  it('decodes upright, scales the long side to 384 px on a canvas and encodes WebP', async () => {
    const { createImageBitmap, bitmap, drawImage } = stubDecoder({ width: 320, height: 480 })
    const thumbnail = await makeThumbnail(file('exif.jpg'))
    expect(createImageBitmap).toHaveBeenCalledWith(expect.any(File), {
      imageOrientation: 'from-image',
    })
    expect(drawImage).toHaveBeenCalledWith(bitmap, 0, 0, 256, 384)
    expect(thumbnail).toMatchObject({ width: 256, height: 384 })
    expect(thumbnail.blob.type).toBe('image/webp')
    expect(bitmap.close).toHaveBeenCalledOnce()
  })

  it('does not enlarge a small image', async () => {
    stubDecoder({ width: 200, height: 144 })
    const thumbnail = await makeThumbnail(file('small.gif'))
    expect(thumbnail).toMatchObject({ width: 200, height: 144 })
  })

  it('turns a decode failure into CorruptImageError', async () => {
    stubDecoder(undefined)
    await expect(makeThumbnail(file('broken.jpg'))).rejects.toMatchObject({
      name: 'CorruptImageError',
      message: expect.stringContaining('"broken.jpg" could not be decoded'),
    })
  })

  it('closes the bitmap when drawing fails', async () => {
    const { bitmap, drawImage } = stubDecoder({ width: 100, height: 100 })
    drawImage.mockImplementation(() => {
      throw new Error('context lost')
    })
    await expect(makeThumbnail(file('a.png'))).rejects.toThrow('context lost')
    expect(bitmap.close).toHaveBeenCalledOnce()
  })
})
