import { CorruptImageError } from '../../models/errors'
import type { ImageFormat } from './types'

/**
 * Refuses a file whose image data stops before its format says it ends: a half-copied or
 * half-downloaded photo.
 *
 * The checks walk the file's structure instead of trusting the last bytes, and ignore anything
 * after the image's end marker: Motion Photos append an MP4 after the JPEG, MPF files append more
 * JPEGs, and some tools pad. They do not verify checksums or entropy-coded data, so a file damaged
 * in the middle still passes; the decoder catches what it can. Chromium's `<img>` shows truncated
 * files without complaint (the missing part stays grey or empty) while its `createImageBitmap`
 * rejects most of them with a bare "could not be decoded", so this check runs first and says why.
 */
export function checkIntegrity(bytes: Uint8Array, format: ImageFormat, name: string): void {
  if (!isComplete[format](bytes)) {
    throw new CorruptImageError(
      `"${name}" is truncated or damaged: the file ends before the image does. ` +
        'Re-export it or copy it again from the original.',
    )
  }
}

const isComplete: Record<ImageFormat, (bytes: Uint8Array) => boolean> = {
  jpg: hasJpegEnd,
  png: hasPngEnd,
  gif: hasCompleteGifBlocks,
  webp: (b) => b.length >= 8 + uint32(b, 4, true),
  bmp: hasBmpPixels,
  avif: hasCompleteBoxes,
}

/** JPEG (ITU T.81 annex B): markers and segments up to the EOI marker, FF D9. */
function hasJpegEnd(b: Uint8Array): boolean {
  let at = 2 // after SOI
  while (at < b.length) {
    // libjpeg skips stray bytes before a marker (with a warning), so we do too.
    at = b.indexOf(0xff, at)
    if (at < 0) return false
    while (b[at] === 0xff) at++ // fill bytes
    const marker = b[at]
    at++
    if (marker === undefined) return false
    if (marker === 0xd9) return true
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue // TEM, RSTn: no length
    const length = uint16(b, at)
    if (length < 2 || at + length > b.length) return false
    at += length
    if (marker === 0xda) {
      at = endOfScan(b, at)
      if (at < 0) return false
    }
  }
  return false
}

/** Index of the first marker after entropy-coded data, where FF 00 is a literal FF and FF Dn a restart. */
function endOfScan(b: Uint8Array, from: number): number {
  let at = from
  for (;;) {
    at = b.indexOf(0xff, at)
    if (at < 0) return -1
    let next = at + 1
    while (b[next] === 0xff) next++
    const code = b[next]
    if (code === undefined) return -1
    if (code !== 0x00 && (code < 0xd0 || code > 0xd7)) return at
    at = next + 1
  }
}

/** PNG: chunks (length, type, data, CRC) up to IEND. */
function hasPngEnd(b: Uint8Array): boolean {
  let at = 8 // after the signature
  while (at + 8 <= b.length) {
    const length = uint32(b, at, false)
    const type = String.fromCharCode(...b.subarray(at + 4, at + 8))
    if (type === 'IEND') return true
    at += 12 + length
  }
  return false
}

/**
 * GIF89a: header, colour table, then extension and image blocks made of length-prefixed
 * sub-blocks. A file that stops between complete blocks passes even without its 3B trailer:
 * old encoders left it out, and browsers show such files in full.
 */
function hasCompleteGifBlocks(b: Uint8Array): boolean {
  const flags = b[10] ?? 0
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0)
  let framesSeen = 0
  while (at < b.length) {
    const introducer = b[at]
    if (introducer === 0x3b) return true
    if (introducer === 0x21) {
      at = skipSubBlocks(b, at + 2)
    } else if (introducer === 0x2c) {
      const localFlags = b[at + 9] ?? 0
      at += 10 + (localFlags & 0x80 ? 3 * 2 ** ((localFlags & 0x07) + 1) : 0)
      at = skipSubBlocks(b, at + 1) // after the LZW minimum code size
      if (at >= 0) framesSeen++
    } else {
      // Bytes that are no block at all: past the end of the image data, treat as trailing junk.
      return framesSeen > 0
    }
    if (at < 0) return false
  }
  return framesSeen > 0
}

/** Index after a run of sub-blocks ended by a zero-length one, or -1 if the file ends first. */
function skipSubBlocks(b: Uint8Array, from: number): number {
  let at = from
  for (;;) {
    const size = b[at]
    if (size === undefined) return -1
    at += 1 + size
    if (size === 0) return at <= b.length ? at : -1
  }
}

/** BMP: the pixel array starts at bfOffBits and, uncompressed, is height rows of 4-byte-aligned width. */
function hasBmpPixels(b: Uint8Array): boolean {
  const pixelsAt = uint32(b, 10, true)
  const infoBytes = uint32(b, 14, true)
  if (b.length < 14 + infoBytes) return false
  if (infoBytes === 12) {
    const rowBytes = Math.ceil((uint16le(b, 18) * uint16le(b, 24)) / 32) * 4
    return b.length >= pixelsAt + rowBytes * uint16le(b, 20)
  }
  const width = uint32(b, 18, true)
  const height = Math.abs(new DataView(b.buffer, b.byteOffset).getInt32(22, true))
  const bitsPerPixel = uint16le(b, 28)
  const compression = uint32(b, 30, true)
  const imageBytes = uint32(b, 34, true)
  const uncompressed = compression === 0 || compression === 3 || compression === 6
  const pixelBytes = uncompressed ? Math.ceil((width * bitsPerPixel) / 32) * 4 * height : imageBytes
  return b.length >= pixelsAt + pixelBytes
}

/**
 * ISO BMFF (AVIF): top-level boxes each fit in the file (size 1 means a 64-bit size follows, 0 "to
 * the end"). Bytes after complete `meta` and `mdat` boxes count as trailing junk.
 */
function hasCompleteBoxes(b: Uint8Array): boolean {
  const complete = new Set<string>()
  let at = 0
  while (at + 8 <= b.length) {
    let size = uint32(b, at, false)
    if (size === 0) size = b.length - at
    if (size === 1 && at + 16 <= b.length) {
      size = Number(new DataView(b.buffer, b.byteOffset + at + 8, 8).getBigUint64(0, false))
    }
    if (size < 8 || at + size > b.length) break
    complete.add(String.fromCharCode(...b.subarray(at + 4, at + 8)))
    at += size
  }
  return at === b.length || (complete.has('meta') && complete.has('mdat'))
}

function uint16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0)
}

function uint16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
}

/** Unsigned 32-bit integer at `at`, or 0 past the end. */
function uint32(b: Uint8Array, at: number, littleEndian: boolean): number {
  if (at + 4 > b.length) return 0
  return new DataView(b.buffer, b.byteOffset + at, 4).getUint32(0, littleEndian)
}
