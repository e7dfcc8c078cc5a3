import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { inspect } from './inspect'
import { importLimits } from './types'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

/** A fixture as a File, with spies on the reads inspect may make. */
function fixtureFile(name: string, bytes = fixture(name)) {
  const file = new File([bytes], name)
  const slice = vi.spyOn(file, 'slice')
  const readAll = vi.spyOn(file, 'arrayBuffer')
  return { file, slice, readAll }
}

/**
 * Stands in for Chromium's decoder (createImageBitmap + OffscreenCanvas): it decodes the listed
 * files to the given displayed size and fails on anything else, as Chromium 156 does for
 * truncated and unknown files.
 */
function stubDecoder(decoded: Record<string, { width: number; height: number }>) {
  const createImageBitmap = vi.fn(async (file: File) => {
    const size = decoded[file.name]
    if (!size) throw new DOMException('The source image could not be decoded.', 'InvalidStateError')
    return { ...size, close() {} }
  })
  vi.stubGlobal('createImageBitmap', createImageBitmap)
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext() {
        return { drawImage() {} }
      }
      async convertToBlob({ type }: { type: string }) {
        return new Blob([new Uint8Array(16)], { type })
      }
    },
  )
  return createImageBitmap
}

/** rocket.jpg with its frame header claiming width × height. */
function jpegClaiming(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bytes = fixture('rocket.jpg')
  const sof = bytes.findIndex((byte, i) => byte === 0xff && bytes[i + 1] === 0xc0)
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(sof + 5, height)
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(sof + 7, width)
  return bytes
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe(inspect, () => {
  it('reports hash, format, displayed size, EXIF and thumbnail of a rotated camera JPEG', async () => {
    stubDecoder({ 'exif-orientation-6.jpg': { width: 320, height: 480 } })
    const bytes = fixture('exif-orientation-6.jpg')
    const inspected = await inspect(new File([bytes], 'exif-orientation-6.jpg'))
    expect(inspected).toMatchObject({
      hash: createHash('sha256').update(bytes).digest('hex'),
      format: 'jpg',
      mime: 'image/jpeg',
      width: 320,
      height: 480,
      orientation: 6,
      exif: { make: 'FUJIFILM', model: 'X-T30', takenAt: '2023-07-14T18:32:05' },
      thumbnailWidth: 256,
      thumbnailHeight: 384,
    })
    expect(inspected.thumbnail.type).toBe('image/webp')
  })

  it.each([
    ['chelsea.png', 'png', 451, 300],
    ['squirrel.webp', 'webp', 535, 426],
    ['butterfly-animated.gif', 'gif', 200, 144],
    ['fruits.bmp', 'bmp', 128, 120],
    ['chelsea.avif', 'avif', 451, 300],
  ])('inspects %s', async (name, format, width, height) => {
    stubDecoder({ [name]: { width, height } })
    await expect(inspect(new File([fixture(name)], name))).resolves.toMatchObject({
      format,
      width,
      height,
      orientation: 1,
    })
  })

  it('refuses a file over the byte limit without reading it', async () => {
    const { file, slice, readAll } = fixtureFile('rocket.jpg')
    Object.defineProperty(file, 'size', { value: importLimits.maxBytes + 1 })
    await expect(inspect(file)).rejects.toMatchObject({ name: 'FileTooLargeError' })
    expect(slice).not.toHaveBeenCalled()
    expect(readAll).not.toHaveBeenCalled()
  })

  it('refuses too many pixels from the header, before reading the whole file', async () => {
    const createImageBitmap = stubDecoder({})
    const { file, readAll } = fixtureFile('huge.jpg', jpegClaiming(20_000, 6_000))
    await expect(inspect(file)).rejects.toMatchObject({
      name: 'TooManyPixelsError',
      message: expect.stringContaining('20000 × 6000'),
    })
    expect(readAll).not.toHaveBeenCalled()
    expect(createImageBitmap).not.toHaveBeenCalled()
  })

  it('refuses HEIC before reading the whole file', async () => {
    const { file, readAll } = fixtureFile('chelsea.heic')
    await expect(inspect(file)).rejects.toMatchObject({ name: 'UnsupportedFormatError' })
    expect(readAll).not.toHaveBeenCalled()
  })

  it('calls a truncated JPEG truncated, without trying to decode it', async () => {
    const createImageBitmap = stubDecoder({ 'truncated.jpg': { width: 640, height: 427 } })
    await expect(
      inspect(new File([fixture('truncated.jpg')], 'truncated.jpg')),
    ).rejects.toMatchObject({
      name: 'CorruptImageError',
      message: expect.stringContaining('truncated'),
    })
    expect(createImageBitmap).not.toHaveBeenCalled()
  })

  it.each(['corrupt.jpg', 'not-an-image.png'])('calls %s not an image', async (name) => {
    stubDecoder({})
    await expect(inspect(new File([fixture(name)], name))).rejects.toMatchObject({
      name: 'CorruptImageError',
      message: expect.stringContaining('is not an image'),
    })
  })

  it('refuses a structurally complete file the decoder cannot decode', async () => {
    stubDecoder({})
    await expect(inspect(new File([fixture('rocket.jpg')], 'rocket.jpg'))).rejects.toMatchObject({
      name: 'CorruptImageError',
      message: expect.stringContaining('could not be decoded'),
    })
  })

  it("takes the decoder's orientation when it turns the picture against the header", async () => {
    stubDecoder({ 'squirrel.webp': { width: 426, height: 535 } })
    await expect(
      inspect(new File([fixture('squirrel.webp')], 'squirrel.webp')),
    ).resolves.toMatchObject({
      width: 426,
      height: 535,
      thumbnailWidth: 306, // round(426 × 384 / 535)
      thumbnailHeight: 384,
    })
  })
})
