import { readExif } from './exif'
import { sha256Hex } from './hash'
import { checkIntegrity } from './integrity'
import { checkLimits } from './limits'
import { readHeader } from './sniff'
import { makeThumbnail, type Size } from './thumbnail'
import type { Inspected } from './types'

/**
 * Everything the library records about one file, or a named refusal. Cheap checks come first, so
 * an oversized or unsupported file is refused before it is read in full: byte size, header
 * (format, pixel size), pixel count, truncation, then hash, EXIF and thumbnail together.
 */
export async function inspect(file: File): Promise<Inspected> {
  checkLimits({ name: file.name, bytes: file.size })
  const header = await readHeader(file)
  checkLimits({ name: file.name, bytes: file.size, width: header.width, height: header.height })
  const bytes = new Uint8Array(await file.arrayBuffer())
  checkIntegrity(bytes, header.format, file.name)
  const [hash, exif, thumbnail] = await Promise.all([
    sha256Hex(bytes),
    readExif(bytes),
    makeThumbnail(file),
  ])
  const displayed = isSwapped(header, thumbnail)
    ? { width: header.height, height: header.width }
    : { width: header.width, height: header.height }
  return {
    hash,
    format: header.format,
    mime: header.mime,
    ...displayed,
    orientation: header.orientation,
    exif,
    thumbnail: thumbnail.blob,
    thumbnailWidth: thumbnail.width,
    thumbnailHeight: thumbnail.height,
  }
}

/**
 * True when the decoder turned the picture a quarter turn against what the header said, which
 * happens where only the decoder reads the rotation (AVIF `irot`, EXIF in PNG or WebP). The
 * decoded thumbnail is what people see, so its aspect ratio wins.
 */
function isSwapped(header: Size, thumbnail: Size): boolean {
  const aspect = thumbnail.width / thumbnail.height
  return (
    Math.abs(aspect - header.height / header.width) <
    Math.abs(aspect - header.width / header.height)
  )
}
