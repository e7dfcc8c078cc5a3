import { readFileSync } from 'node:fs'
import { checkIntegrity } from './integrity'
import type { ImageFormat } from './types'

const fixture = (name: string) =>
  Uint8Array.from(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

const concat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts))
const junk = new Uint8Array(1000).fill(0x41)

const complete: [string, ImageFormat][] = [
  ['rocket.jpg', 'jpg'],
  ['butterfly.jpg', 'jpg'],
  ['exif-orientation-6.jpg', 'jpg'],
  ['squirrel.jpg', 'jpg'],
  ['chelsea.png', 'png'],
  ['camera.png', 'png'],
  ['butterfly-animated.gif', 'gif'],
  ['squirrel.webp', 'webp'],
  ['fruits.bmp', 'bmp'],
  ['chelsea.avif', 'avif'],
]

describe(checkIntegrity, () => {
  it.each(complete)('accepts the complete %s', (name, format) => {
    expect(() => checkIntegrity(fixture(name), format, name)).not.toThrow()
  })

  it.each(complete)('accepts %s with bytes after its end', (name, format) => {
    expect(() => checkIntegrity(concat(fixture(name), junk), format, name)).not.toThrow()
  })

  it('refuses the truncated JPEG fixture with advice to copy it again', () => {
    expect(() => checkIntegrity(fixture('truncated.jpg'), 'jpg', 'truncated.jpg')).toThrow(
      expect.objectContaining({
        name: 'CorruptImageError',
        message: expect.stringMatching(/^"truncated\.jpg" is truncated or damaged.*copy it again/),
      }),
    )
  })

  it.each(complete)('refuses %s cut to 90%%', (name, format) => {
    const bytes = fixture(name)
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.9))
    expect(() => checkIntegrity(cut, format, name)).toThrow(
      expect.objectContaining({ name: 'CorruptImageError' }),
    )
  })

  it('refuses a JPEG missing only its end marker', () => {
    const bytes = fixture('rocket.jpg')
    expect(() => checkIntegrity(bytes.subarray(0, bytes.length - 2), 'jpg', 'x.jpg')).toThrow()
  })

  it('ignores an end marker inside metadata, such as an EXIF thumbnail', () => {
    const jpeg = fixture('rocket.jpg')
    const thumbnail = new Uint8Array([0xff, 0xd8, 0xff, 0xd9])
    const app1 = concat(new Uint8Array([0xff, 0xe1, 0x00, 2 + thumbnail.length]), thumbnail)
    const withThumbnail = concat(jpeg.subarray(0, 2), app1, jpeg.subarray(2))
    const cut = withThumbnail.subarray(0, Math.floor(withThumbnail.length * 0.6))
    expect(() => checkIntegrity(cut, 'jpg', 'x.jpg')).toThrow()
  })

  it('refuses a PNG without its IEND chunk', () => {
    const bytes = fixture('chelsea.png')
    expect(() => checkIntegrity(bytes.subarray(0, bytes.length - 12), 'png', 'x.png')).toThrow()
  })

  it('accepts a GIF whose frames are complete but whose trailer is missing', () => {
    const bytes = fixture('butterfly-animated.gif')
    expect(bytes.at(-1)).toBe(0x3b)
    expect(() => checkIntegrity(bytes.subarray(0, bytes.length - 1), 'gif', 'x.gif')).not.toThrow()
  })

  it('refuses a GIF cut inside its second frame', () => {
    const bytes = fixture('butterfly-animated.gif')
    expect(() =>
      checkIntegrity(bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'gif', 'x.gif'),
    ).toThrow()
  })
})
