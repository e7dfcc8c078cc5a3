import { MetadataError } from './errors'
import { assertTiff } from './tiff'

// The byte-level layouts follow: JPEG, ITU T.81 §B.1 and Exif 2.32 §4.5.4 (APP1 "Exif\0\0");
// PNG, the PNG 3rd edition (chunks, CRC-32, eXIf); WebP, RFC 9649 (RIFF chunks, VP8X, EXIF).

const exifPrefix = ascii('Exif\0\0')
const vp8StartCode = [0x9d, 0x01, 0x2a]
const pngSignature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)

/** A marker segment or chunk; `end` is past its padding, and may lie past the end of the file. */
interface Span {
  id: string
  start: number
  dataStart: number
  dataEnd: number
  end: number
}

/** The formats an export is encoded in (what OffscreenCanvas.convertToBlob writes). */
export type ExportMime = 'image/jpeg' | 'image/png' | 'image/webp'

/**
 * The EXIF block of a JPEG (APP1), PNG (eXIf) or WebP (EXIF chunk), from its TIFF header on; null
 * when there is none or the file is another format. Throws MetadataError when the block is cut off
 * or is not TIFF.
 */
export function readExif(bytes: Uint8Array): Uint8Array<ArrayBuffer> | null {
  if (isJpeg(bytes)) return readJpegExif(bytes)
  if (isPng(bytes)) return readPngExif(bytes)
  if (isWebp(bytes)) return readWebpExif(bytes)
  return null
}

/**
 * A copy of an encoded image with `tiff` (from `prepareExif`) as its EXIF, replacing any it had;
 * the image data is copied unchanged. Throws MetadataError when `encoded` is not a complete
 * `mime` file, `tiff` is not a TIFF block, or (JPEG only) `tiff` is over 65,527 bytes.
 */
export function withExif(
  encoded: Uint8Array,
  mime: ExportMime,
  tiff: Uint8Array,
): Uint8Array<ArrayBuffer> {
  assertTiff(tiff)
  switch (mime) {
    case 'image/jpeg':
      return insertJpegExif(encoded, tiff)
    case 'image/png':
      return insertPngExif(encoded, tiff)
    case 'image/webp':
      return insertWebpExif(encoded, tiff)
  }
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
}

function isPng(bytes: Uint8Array): boolean {
  return startsWith(bytes, 0, pngSignature)
}

function isWebp(bytes: Uint8Array): boolean {
  return startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))
}

/** The TIFF block of a JPEG's first Exif APP1 segment, or null. */
function readJpegExif(jpeg: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const exif = jpegSegments(jpeg).segments.find((s) => isExifSegment(jpeg, s))
  return exif ? payload(jpeg, exif, exifPrefix.length) : null
}

/** The TIFF block of a PNG's eXIf chunk, or null. */
function readPngExif(png: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const exif = pngChunks(png).chunks.find((c) => c.id === 'eXIf')
  return exif ? payload(png, exif, 0) : null
}

/** The TIFF block of a WebP's EXIF chunk, or null. */
function readWebpExif(webp: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const exif = riffChunks(webp).find((c) => c.id === 'EXIF')
  if (!exif) return null
  // Some writers keep JPEG's "Exif\0\0" in front of the TIFF header, which RFC 9649 leaves out.
  return payload(webp, exif, startsWith(webp, exif.dataStart, exifPrefix) ? exifPrefix.length : 0)
}

/** A copy of the JPEG with `tiff` in APP1 after SOI (or after JFIF's APP0), replacing any EXIF. */
function insertJpegExif(jpeg: Uint8Array, tiff: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!isJpeg(jpeg)) throw new MetadataError('Expected a JPEG (FF D8 FF), got other bytes')
  const { segments, complete } = jpegSegments(jpeg)
  if (!complete) throw new MetadataError('The JPEG ends before its first scan')
  const segmentBytes = 2 + exifPrefix.length + tiff.length
  if (segmentBytes > 0xffff) {
    throw new MetadataError(`EXIF is ${tiff.length} bytes; a JPEG segment holds at most 65,527`)
  }
  const app1 = new Uint8Array(2 + segmentBytes)
  app1.set([0xff, 0xe1, segmentBytes >> 8, segmentBytes & 0xff])
  app1.set(exifPrefix, 4)
  app1.set(tiff, 4 + exifPrefix.length)
  // JFIF wants APP0 first and Exif wants APP1 first; readers accept either, and exiftool puts
  // APP1 after JFIF's APP0.
  const [first] = segments
  const jfif = first?.id === 'e0' && startsWith(jpeg, first.dataStart, ascii('JFIF\0'))
  const insertAt = jfif ? first.end : 2
  const parts = [jpeg.subarray(0, insertAt), app1]
  let cursor = insertAt
  for (const segment of segments) {
    if (!isExifSegment(jpeg, segment)) continue
    parts.push(jpeg.subarray(cursor, segment.start))
    cursor = segment.end
  }
  parts.push(jpeg.subarray(cursor))
  return concat(parts)
}

/** A copy of the PNG with `tiff` in an eXIf chunk before the first IDAT, replacing any eXIf. */
function insertPngExif(png: Uint8Array, tiff: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!isPng(png)) throw new MetadataError('Expected a PNG (89 50 4E 47…), got other bytes')
  const { chunks, end } = pngChunks(png)
  const idat = chunks.findIndex((c) => c.id === 'IDAT')
  if (chunks[0]?.id !== 'IHDR' || idat < 0 || (chunks[idat]?.end ?? Infinity) > png.length) {
    throw new MetadataError('The PNG has no complete IHDR and IDAT chunks')
  }
  const exif = new Uint8Array(12 + tiff.length)
  const view = viewOf(exif)
  view.setUint32(0, tiff.length)
  exif.set(ascii('eXIf'), 4)
  exif.set(tiff, 8)
  view.setUint32(8 + tiff.length, crc32(exif.subarray(4, 8 + tiff.length)))
  const parts = [png.subarray(0, 8)]
  chunks.forEach((chunk, i) => {
    if (i === idat) parts.push(exif)
    if (chunk.id !== 'eXIf') parts.push(png.subarray(chunk.start, chunk.end))
  })
  parts.push(png.subarray(Math.min(end, png.length)))
  return concat(parts)
}

/**
 * A copy of the WebP with `tiff` in an EXIF chunk, replacing any EXIF. A simple (VP8 or VP8L)
 * file becomes an extended one, with a VP8X header whose canvas size comes from the bitstream.
 */
function insertWebpExif(webp: Uint8Array, tiff: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!isWebp(webp)) throw new MetadataError('Expected a WebP (RIFF….WEBP), got other bytes')
  const chunks = riffChunks(webp)
  const [first] = chunks
  if (!first || chunks.some((c) => c.dataEnd > webp.length)) {
    throw new MetadataError('The WebP is cut off')
  }
  const header =
    first.id === 'VP8X'
      ? new Uint8Array(webp.subarray(first.dataStart, first.dataEnd)) // a copy: we set a flag
      : vp8xFor(webp, first)
  if (header.length < 10) throw new MetadataError('The WebP VP8X chunk is too short')
  header[0] = (header[0] ?? 0) | 0x08 // the EXIF flag
  const kept = chunks.filter((c) => c.id !== 'VP8X' && c.id !== 'EXIF')
  // RFC 9649 §2.7: EXIF comes after the image data and before XMP.
  const xmp = kept.findIndex((c) => c.id === 'XMP ')
  // Rebuilt rather than copied, so that a last chunk missing its pad byte gets one.
  const body = kept.map((c) => chunk(c.id, webp.subarray(c.dataStart, c.dataEnd)))
  body.splice(xmp < 0 ? body.length : xmp, 0, chunk('EXIF', tiff))
  const file = concat([
    ascii('RIFF'),
    new Uint8Array(4),
    ascii('WEBP'),
    chunk('VP8X', header),
    ...body,
  ])
  viewOf(file).setUint32(4, file.length - 8, true)
  return file
}

function vp8xFor(webp: Uint8Array, first: Span): Uint8Array {
  const view = viewOf(webp)
  const size = first.dataEnd - first.dataStart
  let width: number
  let height: number
  let alpha = false
  if (first.id === 'VP8 ' && size >= 10 && startsWith(webp, first.dataStart + 3, vp8StartCode)) {
    // RFC 6386 §9.1: a 3-byte frame tag, the start code, then 14-bit width and height.
    width = view.getUint16(first.dataStart + 6, true) & 0x3fff
    height = view.getUint16(first.dataStart + 8, true) & 0x3fff
  } else if (first.id === 'VP8L' && size >= 5 && webp[first.dataStart] === 0x2f) {
    // RFC 9649 lossless header: 0x2f, then width - 1, height - 1 (14 bits each) and alpha (1 bit).
    const bits = view.getUint32(first.dataStart + 1, true)
    width = (bits & 0x3fff) + 1
    height = ((bits >>> 14) & 0x3fff) + 1
    alpha = ((bits >>> 28) & 1) === 1
  } else {
    throw new MetadataError(`The WebP starts with a "${first.id}" chunk, not an image`)
  }
  if (width === 0 || height === 0) throw new MetadataError('The WebP bitstream has no size')
  // Flags (0x10: alpha), 3 reserved bytes, then canvas width - 1 and height - 1 in 24 bits each.
  const header = new Uint8Array(10)
  header[0] = alpha ? 0x10 : 0
  header.set(uint24(width - 1), 4)
  header.set(uint24(height - 1), 7)
  return header
}

function jpegSegments(jpeg: Uint8Array): { segments: Span[]; complete: boolean } {
  const segments: Span[] = []
  let at = 2
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1] ?? 0
    if (marker === 0xff) {
      at += 1 // a fill byte
      continue
    }
    if (marker === 0xda) return { segments, complete: true } // SOS: metadata only comes before
    if (marker === 0xd9) break
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2 // markers without a length
      continue
    }
    const length = ((jpeg[at + 2] ?? 0) << 8) | (jpeg[at + 3] ?? 0)
    if (length < 2) break
    const end = at + 2 + length
    segments.push({ id: marker.toString(16), start: at, dataStart: at + 4, dataEnd: end, end })
    at = end
  }
  return { segments, complete: false }
}

function isExifSegment(jpeg: Uint8Array, segment: Span): boolean {
  return segment.id === 'e1' && startsWith(jpeg, segment.dataStart, exifPrefix)
}

/** The chunks up to IEND, and where the walk stopped (past the file if the last one is cut off). */
function pngChunks(png: Uint8Array): { chunks: Span[]; end: number } {
  const chunks: Span[] = []
  const view = viewOf(png)
  let at = 8
  while (at + 8 <= png.length) {
    const length = view.getUint32(at)
    const id = String.fromCharCode(...png.subarray(at + 4, at + 8))
    const end = at + 12 + length
    chunks.push({ id, start: at, dataStart: at + 8, dataEnd: at + 8 + length, end })
    at = end
    if (id === 'IEND') break
  }
  return { chunks, end: at }
}

/** The chunks inside the RIFF container; the last one may run past the file. */
function riffChunks(webp: Uint8Array): Span[] {
  const chunks: Span[] = []
  if (webp.length < 12) return chunks
  const view = viewOf(webp)
  const riffEnd = Math.min(8 + view.getUint32(4, true), webp.length)
  let at = 12
  while (at + 8 <= riffEnd) {
    const size = view.getUint32(at + 4, true)
    const id = String.fromCharCode(...webp.subarray(at, at + 4))
    // Chunks are padded to an even size; the pad byte is not counted in the size.
    const end = at + 8 + size + (size & 1)
    chunks.push({ id, start: at, dataStart: at + 8, dataEnd: at + 8 + size, end })
    at = end
  }
  return chunks
}

function chunk(id: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8 + data.length + (data.length & 1))
  bytes.set(ascii(id))
  viewOf(bytes).setUint32(4, data.length, true)
  bytes.set(data, 8)
  return bytes
}

/** A copy of a span's data after `skip` bytes, checked to be a TIFF block. */
function payload(bytes: Uint8Array, span: Span, skip: number): Uint8Array<ArrayBuffer> {
  if (span.dataEnd > bytes.length) throw new MetadataError('The EXIF block is cut off')
  // A copy (not `slice`, which shares memory for a Node Buffer).
  return assertTiff(new Uint8Array(bytes.subarray(span.dataStart + skip, span.dataEnd)))
}

// CRC-32 as PNG defines it (ISO 3309 polynomial, reflected), over chunk type and data.
const crcTable = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0))
}

function uint24(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff)
}

function startsWith(bytes: Uint8Array, at: number, prefix: ArrayLike<number>): boolean {
  if (at + prefix.length > bytes.length) return false
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false
  return true
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.length
  }
  return bytes
}
