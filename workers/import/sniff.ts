import { BMP } from 'image-size/types/bmp'
import { GIF } from 'image-size/types/gif'
import { HEIF } from 'image-size/types/heif'
import type { IImage } from 'image-size/types/interface'
import { JPG } from 'image-size/types/jpg'
import { PNG } from 'image-size/types/png'
import { WEBP } from 'image-size/types/webp'
import { CorruptImageError, UnsupportedFormatError } from '../../models/errors'
import { formatLabels, imageFormats, type ImageFormat } from './types'

/** What a file's first bytes say about it, before any pixel is decoded. */
export interface Header {
  format: ImageFormat
  mime: (typeof imageFormats)[ImageFormat]
  /** Pixel size as displayed: swapped when EXIF orientation is 5–8. */
  width: number
  height: number
  /** EXIF orientation 1–8; read from JPEG headers only, 1 elsewhere. */
  orientation: number
}

export interface FileFacts {
  name: string
  /** Size of the whole file, which `bytes` may be a prefix of. */
  size: number
}

/** How much of a file `readHeader` reads first: enough for every header except JPEGs with huge metadata. */
export const headerProbeBytes = 256 * 1024

// The handlers come from image-size, but we pick the format ourselves: image-size's fallback
// detector tries every format it knows, so random bytes can pass as TGA, and it classifies
// HEIF-family files by their major brand only.
const measurers = {
  jpg: JPG,
  png: PNG,
  webp: WEBP,
  gif: GIF,
  bmp: BMP,
  avif: HEIF,
} as const satisfies Record<ImageFormat, IImage>

/**
 * Reads format, displayed size and orientation from the start of a file. Returns undefined when
 * `bytes` is a prefix that ends before the size is recorded; the caller then retries with more.
 */
export function sniff(bytes: Uint8Array, file: FileFacts): Header | undefined {
  if (file.size === 0) {
    throw new CorruptImageError(
      `"${file.name}" is empty (0 bytes), so there is no image to import.`,
    )
  }
  const identity = identify(bytes)
  if (identity === undefined) {
    throw notAnImage(file)
  }
  if ('unsupported' in identity) {
    throw new UnsupportedFormatError(
      identity.unsupported === heic
        ? `"${file.name}" is HEIC, which this browser cannot decode. Export it as JPEG ` +
            '(on an iPhone: Settings › Camera › Formats › Most Compatible) and import that.'
        : `"${file.name}" is ${identity.unsupported}, which the library does not take. ` +
            `Supported formats: ${Object.values(formatLabels).join(', ')}.`,
    )
  }
  const { format } = identity
  let size: { width: number; height: number; orientation?: number; images?: Size[] }
  try {
    size = measurers[format].calculate(bytes)
  } catch (cause) {
    if (bytes.length < file.size) return undefined
    throw new CorruptImageError(
      `"${file.name}" looks like ${formatLabels[format]} but is damaged: its header cannot be read.`,
      { cause },
    )
  }
  const { width, height } = largest(size)
  if (!(width > 0 && height > 0)) {
    throw new CorruptImageError(
      `"${file.name}" is damaged: its header gives a size of ${width} × ${height} pixels.`,
    )
  }
  const orientation = isOrientation(size.orientation) ? size.orientation : 1
  const swapped = orientation >= 5
  return {
    format,
    mime: imageFormats[format],
    width: swapped ? height : width,
    height: swapped ? width : height,
    orientation,
  }
}

/** Sniffs the first `headerProbeBytes` of a file, then the whole file if the size lies further in. */
export async function readHeader(file: File): Promise<Header> {
  const head = new Uint8Array(await file.slice(0, headerProbeBytes).arrayBuffer())
  const header = sniff(head, file) ?? sniff(new Uint8Array(await file.arrayBuffer()), file)
  if (!header) throw notAnImage(file)
  return header
}

interface Size {
  width: number
  height: number
}

function notAnImage(file: FileFacts): CorruptImageError {
  return new CorruptImageError(
    `"${file.name}" is not an image or is damaged: its contents match no image format.`,
  )
}

// HEIF containers can hold several images (thumbnails, alpha planes); the largest is the photo.
function largest(size: Size & { images?: Size[] }): Size {
  return (size.images ?? [size]).reduce((best, image) =>
    image.width * image.height > best.width * best.height ? image : best,
  )
}

function isOrientation(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 8
}

// BITMAPCOREHEADER, INFOHEADER, V2, V3, OS/2 2.x, V4, V5 sizes: a "BM" text file has none of these.
const bmpInfoHeaderBytes = new Set([12, 40, 52, 56, 64, 108, 124])
const avifBrands = new Set(['avif', 'avis'])
const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'])

const heic = 'HEIC'

/** Names the file type from its signature: a supported format, another known type, or nothing. */
function identify(b: Uint8Array): { format: ImageFormat } | { unsupported: string } | undefined {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { format: 'jpg' }
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { format: 'png' }
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return { format: 'gif' }
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { format: 'webp' }
  if (ascii(b, 0, 2) === 'BM' && bmpInfoHeaderBytes.has(uint32(b, 14, true))) {
    return { format: 'bmp' }
  }
  if (ascii(b, 4, 8) === 'ftyp') {
    const brands = ftypBrands(b)
    if (brands.some((brand) => avifBrands.has(brand))) return { format: 'avif' }
    if (brands.some((brand) => heifBrands.has(brand))) return { unsupported: heic }
    return { unsupported: 'a video or other ISO media file' }
  }
  const other = otherSignatures.find(([matches]) => matches(b))
  return other && { unsupported: other[1] }
}

const otherSignatures: [(b: Uint8Array) => boolean, string][] = [
  [(b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*', 'TIFF (or a camera RAW file)'],
  [(b) => ascii(b, 0, 4) === '8BPS', 'a Photoshop document (PSD)'],
  [(b) => startsWith(b, [0xff, 0x0a]) || ascii(b, 4, 8) === 'JXL ', 'JPEG XL'],
  [(b) => ascii(b, 4, 8) === 'jP  ' || startsWith(b, [0xff, 0x4f, 0xff, 0x51]), 'JPEG 2000'],
  [(b) => ascii(b, 0, 5) === '%PDF-', 'a PDF document'],
  [(b) => /<svg[\s>]/i.test(ascii(b, 0, 1024)), 'SVG'],
]

function ftypBrands(b: Uint8Array): string[] {
  const boxEnd = Math.min(uint32(b, 0, false), b.length)
  const brands = [ascii(b, 8, 12)]
  // Compatible brands follow the major brand and the 4-byte minor version.
  for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(b, at, at + 4))
  return brands
}

function startsWith(b: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => b[i] === byte)
}

function ascii(b: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...b.subarray(start, end))
}

/** Unsigned 32-bit integer at `at`, or 0 past the end. */
function uint32(b: Uint8Array, at: number, littleEndian: boolean): number {
  if (at + 4 > b.length) return 0
  return new DataView(b.buffer, b.byteOffset + at, 4).getUint32(0, littleEndian)
}
