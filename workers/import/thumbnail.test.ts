import { fitWithin, makeThumbnail } from './thumbnail'

interface Size {
  width: number
  height: number
}

/**
 * Stands in for Chromium's createImageBitmap and OffscreenCanvas, as measured in Chromium 156:
 * EXIF orientation is applied first, resize sizes are in displayed terms, and one given side keeps
 * the aspect ratio (rounded up).
 */
function stubDecoder(decoded: Size | undefined) {
  const bitmap = { width: 0, height: 0, close: vi.fn() }
  const createImageBitmap = vi.fn(async (_file: Blob, options: ImageBitmapOptions = {}) => {
    if (!decoded) {
      throw new DOMException('The source image could not be decoded.', 'InvalidStateError')
    }
    const { resizeWidth: width, resizeHeight: height } = options
    bitmap.width =
      width ?? (height ? Math.ceil((decoded.width * height) / decoded.height) : decoded.width)
    bitmap.height =
      height ?? (width ? Math.ceil((decoded.height * width) / decoded.width) : decoded.height)
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
  it('asks for the long side only, in displayed terms, and encodes WebP', async () => {
    const { createImageBitmap, bitmap } = stubDecoder({ width: 320, height: 480 })
    const thumbnail = await makeThumbnail(file('exif.jpg'), { width: 320, height: 480 })
    expect(createImageBitmap).toHaveBeenCalledWith(expect.any(File), {
      imageOrientation: 'from-image',
      resizeHeight: 384,
      resizeQuality: 'high',
    })
    expect(thumbnail).toMatchObject({ width: 256, height: 384 })
    expect(thumbnail.blob.type).toBe('image/webp')
    expect(bitmap.close).toHaveBeenCalledOnce()
  })

  it('does not enlarge a small image', async () => {
    const { createImageBitmap } = stubDecoder({ width: 200, height: 144 })
    const thumbnail = await makeThumbnail(file('small.gif'), { width: 200, height: 144 })
    expect(createImageBitmap).toHaveBeenCalledWith(expect.any(File), {
      imageOrientation: 'from-image',
    })
    expect(thumbnail).toMatchObject({ width: 200, height: 144 })
  })

  it('scales down a bitmap the decoder turned against the header, without squashing it', async () => {
    // The header says landscape; the decoder applies a rotation the header did not show.
    stubDecoder({ width: 300, height: 451 })
    const thumbnail = await makeThumbnail(file('rotated.avif'), { width: 451, height: 300 })
    expect(thumbnail).toMatchObject({ width: 255, height: 384 })
  })

  it('turns a decode failure into CorruptImageError', async () => {
    stubDecoder(undefined)
    await expect(
      makeThumbnail(file('broken.jpg'), { width: 10, height: 10 }),
    ).rejects.toMatchObject({
      name: 'CorruptImageError',
      message: expect.stringContaining('"broken.jpg" could not be decoded'),
    })
  })

  it('closes the bitmap when drawing fails', async () => {
    const { bitmap, drawImage } = stubDecoder({ width: 100, height: 100 })
    drawImage.mockImplementation(() => {
      throw new Error('context lost')
    })
    await expect(makeThumbnail(file('a.png'), { width: 100, height: 100 })).rejects.toThrow(
      'context lost',
    )
    expect(bitmap.close).toHaveBeenCalledOnce()
  })
})
