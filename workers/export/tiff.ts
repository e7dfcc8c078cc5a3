import { MetadataError } from './errors'

// Bytes per value of each TIFF field type (TIFF 6.0 §2; 13 = IFD, from TIFF Technical Note 1).
const typeSizes: readonly number[] = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4]
const short = 3
const long = 4
const ifdType = 13

const tags = {
  imageWidth: 0x0100,
  imageHeight: 0x0101,
  orientation: 0x0112,
  exifIfd: 0x8769,
  gpsIfd: 0x8825,
  interopIfd: 0xa005,
  pixelXDimension: 0xa002,
  pixelYDimension: 0xa003,
} as const

// The sub-IFDs kept, by the IFD that points at them. IFD1 (the thumbnail) is never followed.
const subIfds: Record<number, readonly number[]> = {
  0: [tags.exifIfd, tags.gpsIfd],
  [tags.exifIfd]: [tags.interopIfd],
}

// Strip, tile and JPEG-thumbnail offsets and sizes, SubIFDs, MakerNote and DNGPrivateData: their
// values are offsets into the block, which rebuilding it breaks, and what they point at is often a
// preview of the unedited image (maker notes of Nikon, Olympus and others embed one).
const droppedTags = new Set([
  0x0111, 0x0117, 0x0144, 0x0145, 0x014a, 0x0201, 0x0202, 0x927c, 0xc634,
])

interface Entry {
  tag: number
  type: number
  count: number
  /** The value bytes in the block's byte order, `count` values long. */
  value: Uint8Array
  child?: Ifd
}

interface Ifd {
  entries: Entry[]
}

/** Pixel size of the exported image, after every edit. */
export interface PixelSize {
  width: number
  height: number
}

/** Whether the block starts "II*\0" (little-endian) or "MM\0*" (big-endian); throws if neither. */
function isLittleEndian(tiff: Uint8Array): boolean {
  const [a, b, c, d] = tiff
  if (a === 0x49 && b === 0x49 && c === 0x2a && d === 0) return true
  if (a === 0x4d && b === 0x4d && c === 0 && d === 0x2a) return false
  throw new MetadataError('EXIF does not start with a TIFF header ("II*\\0" or "MM\\0*")')
}

/** Checks that the block has a TIFF header and a first IFD inside it, and returns it. */
export function assertTiff<T extends Uint8Array>(tiff: T): T {
  const little = isLittleEndian(tiff)
  const view = viewOf(tiff)
  const ifd0 = tiff.length >= 8 ? view.getUint32(4, little) : Infinity
  if (ifd0 < 8 || ifd0 + 2 > tiff.length) {
    throw new MetadataError(`EXIF's first IFD (at ${ifd0}) is outside its ${tiff.length} bytes`)
  }
  return tiff
}

/**
 * Rebuilds an EXIF block for an exported image: IFD0, Exif, GPS and Interop entries are copied,
 * Orientation becomes 1 (the pixels are upright), stored pixel sizes become `size`, and the
 * thumbnail (IFD1), maker notes and anything else the block points into are left out, unreferenced
 * bytes included. Keeps the byte order, and skips entries that point outside the block. Throws
 * MetadataError when `tiff` is not TIFF or its first IFD is cut off.
 */
export function prepareExif(tiff: Uint8Array, size: PixelSize): Uint8Array<ArrayBuffer> {
  for (const side of [size.width, size.height]) {
    if (!Number.isInteger(side) || side < 1 || side > 0xffff_ffff) {
      throw new RangeError(`Pixel size must be a positive integer, got ${side}`)
    }
  }
  assertTiff(tiff)
  const little = isLittleEndian(tiff)
  const view = viewOf(tiff)
  const ifd0 = readIfd(tiff, view, little, view.getUint32(4, little), 0)
  if (!ifd0) throw new MetadataError("EXIF's first IFD is cut off")

  const setNumber = (ifd: Ifd, tag: number, value: number) => {
    const entry = ifd.entries.find((e) => e.tag === tag)
    if (!entry) return
    entry.type = entry.type === short && value <= 0xffff ? short : long
    entry.count = 1
    entry.value = encode(entry.type, value, little)
  }
  setNumber(ifd0, tags.orientation, 1)
  setNumber(ifd0, tags.imageWidth, size.width)
  setNumber(ifd0, tags.imageHeight, size.height)
  const exif = ifd0.entries.find((e) => e.tag === tags.exifIfd)?.child
  if (exif) {
    setNumber(exif, tags.pixelXDimension, size.width)
    setNumber(exif, tags.pixelYDimension, size.height)
  }
  return writeTiff(ifd0, little)
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Reads one IFD and the sub-IFDs kept under it; undefined if its table runs past the block. */
function readIfd(
  tiff: Uint8Array,
  view: DataView,
  little: boolean,
  offset: number,
  pointerTag: number,
): Ifd | undefined {
  if (offset < 8 || offset + 2 > tiff.length) return undefined
  const count = view.getUint16(offset, little)
  if (offset + 2 + 12 * count > tiff.length) return undefined
  const children = subIfds[pointerTag] ?? []
  const entries: Entry[] = []
  for (let i = 0; i < count; i++) {
    const at = offset + 2 + 12 * i
    const tag = view.getUint16(at, little)
    const type = view.getUint16(at + 2, little)
    const valueCount = view.getUint32(at + 4, little)
    const typeSize = typeSizes[type]
    if (!typeSize || droppedTags.has(tag)) continue
    if (children.includes(tag)) {
      if ((type !== long && type !== ifdType) || valueCount !== 1) continue
      const child = readIfd(tiff, view, little, view.getUint32(at + 8, little), tag)
      if (child) entries.push({ tag, type: long, count: 1, value: new Uint8Array(4), child })
      continue
    }
    if (type === ifdType) continue
    const bytes = typeSize * valueCount
    const start = bytes <= 4 ? at + 8 : view.getUint32(at + 8, little)
    if (start + bytes > tiff.length) continue
    entries.push({
      tag,
      type,
      count: valueCount,
      value: new Uint8Array(tiff.subarray(start, start + bytes)),
    })
  }
  // TIFF 6.0 §2: entries are sorted by tag.
  entries.sort((a, b) => a.tag - b.tag)
  return { entries }
}

function encode(type: number, value: number, little: boolean): Uint8Array {
  const bytes = new Uint8Array(type === short ? 2 : 4)
  if (type === short) viewOf(bytes).setUint16(0, value, little)
  else viewOf(bytes).setUint32(0, value, little)
  return bytes
}

const even = (n: number) => n + (n & 1)

function ifdBytes(ifd: Ifd): number {
  let bytes = 2 + 12 * ifd.entries.length + 4
  for (const { value } of ifd.entries) if (value.length > 4) bytes += even(value.length)
  return bytes
}

/** Places each IFD, its values after it, then its sub-IFDs; returns where the last one ends. */
function layout(ifd: Ifd, offset: number, offsets: Map<Ifd, number>): number {
  offsets.set(ifd, offset)
  let end = offset + ifdBytes(ifd)
  for (const { child } of ifd.entries) if (child) end = layout(child, end, offsets)
  return end
}

function writeTiff(ifd0: Ifd, little: boolean): Uint8Array<ArrayBuffer> {
  const offsets = new Map<Ifd, number>()
  const tiff = new Uint8Array(layout(ifd0, 8, offsets))
  const view = viewOf(tiff)
  tiff.set(little ? [0x49, 0x49, 0x2a, 0] : [0x4d, 0x4d, 0, 0x2a])
  view.setUint32(4, 8, little)
  for (const [ifd, offset] of offsets) {
    view.setUint16(offset, ifd.entries.length, little)
    let valueAt = offset + 2 + 12 * ifd.entries.length + 4
    ifd.entries.forEach(({ tag, type, count, value, child }, i) => {
      const at = offset + 2 + 12 * i
      view.setUint16(at, tag, little)
      view.setUint16(at + 2, type, little)
      view.setUint32(at + 4, count, little)
      if (child) {
        view.setUint32(at + 8, offsets.get(child) ?? 0, little)
      } else if (value.length <= 4) {
        tiff.set(value, at + 8)
      } else {
        view.setUint32(at + 8, valueAt, little)
        tiff.set(value, valueAt)
        valueAt += even(value.length)
      }
    })
    // The next-IFD offset stays 0: IFD1 is dropped.
  }
  return tiff
}
