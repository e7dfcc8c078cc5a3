import { inflateSync } from 'fflate'
import { BackupFormatError } from './errors'

/**
 * A small ZIP writer and reader for library backups (APPNOTE.TXT 6.3.10).
 *
 * Why not fflate's streaming Zip and Unzip, which the rest of the app uses: its writer has no
 * ZIP64, so a library past 4 GiB gives a silently broken archive, and its streaming reader finds
 * where a file ends by looking for a signature in the file's bytes, which a photo can contain by
 * chance. This writer stores files uncompressed with sizes and CRC in every header, the archive
 * is a Blob made of the stored Blobs themselves (nothing is copied), and the reader uses the
 * central directory with `Blob.slice`, so neither needs the library in memory.
 */

export interface ZipWriter {
  /** Appends a file; a Blob's bytes are read once for the CRC and then kept by reference. */
  add(name: string, data: Blob | Uint8Array, modifiedAt: number): Promise<void>
  /** Writes the central directory and returns the archive. */
  finish(type?: string): Blob
  /** Bytes written so far. */
  readonly bytes: number
}

export interface ZipWriterOptions {
  /** `always` writes ZIP64 records even where classic fields would do (for tests). */
  zip64?: 'auto' | 'always'
}

interface Written {
  name: Uint8Array
  crc: number
  bytes: number
  offset: number
  dosTime: number
}

const u32Max = 0xffff_ffff
const u16Max = 0xffff
const utf8Flag = 0x0800
const encoder = new TextEncoder()

/** A stored (uncompressed) ZIP archive; ZIP64 records are added once offsets or counts need them. */
export function createZipWriter({ zip64 = 'auto' }: ZipWriterOptions = {}): ZipWriter {
  const parts: BlobPart[] = []
  const written: Written[] = []
  let offset = 0
  const push = (part: Uint8Array<ArrayBuffer> | Blob, size: number) => {
    parts.push(part)
    offset += size
  }

  return {
    get bytes() {
      return offset
    },

    async add(name, data, modifiedAt) {
      const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data
      // Entries stay below 4 GiB (images are refused above 200 MiB), so local headers need no ZIP64.
      if (bytes.length >= u32Max) {
        throw new RangeError(`${name} is ${bytes.length} bytes; a backup entry holds under 4 GiB`)
      }
      const entry: Written = {
        name: encoder.encode(name),
        crc: crc32(bytes),
        bytes: bytes.length,
        offset,
        dosTime: toDosTime(modifiedAt),
      }
      const header = new DataView(new ArrayBuffer(30 + entry.name.length))
      header.setUint32(0, 0x04034b50, true)
      header.setUint16(4, 20, true) // version needed: 2.0
      header.setUint16(6, utf8Flag, true)
      header.setUint16(8, 0, true) // stored
      header.setUint32(10, entry.dosTime, true)
      header.setUint32(14, entry.crc, true)
      header.setUint32(18, entry.bytes, true)
      header.setUint32(22, entry.bytes, true)
      header.setUint16(26, entry.name.length, true)
      header.setUint16(28, 0, true)
      const headerBytes = new Uint8Array(header.buffer)
      headerBytes.set(entry.name, 30)
      push(headerBytes, headerBytes.length)
      if (data instanceof Blob) push(data, bytes.length)
      else push(bytes.slice(), bytes.length)
      written.push(entry)
    },

    finish(type = 'application/zip') {
      const directoryOffset = offset
      for (const entry of written) {
        const offsetIn64 = zip64 === 'always' || entry.offset >= u32Max
        const record = new DataView(new ArrayBuffer(46 + entry.name.length + (offsetIn64 ? 12 : 0)))
        record.setUint32(0, 0x02014b50, true)
        // Made by: Unix (3) with a regular file's mode, so unzip tools read names and modes alike.
        record.setUint16(4, (3 << 8) | (offsetIn64 ? 45 : 20), true)
        record.setUint16(6, offsetIn64 ? 45 : 20, true) // version needed: 4.5 for ZIP64
        record.setUint16(8, utf8Flag, true)
        record.setUint16(10, 0, true)
        record.setUint32(12, entry.dosTime, true)
        record.setUint32(16, entry.crc, true)
        record.setUint32(20, entry.bytes, true)
        record.setUint32(24, entry.bytes, true)
        record.setUint16(28, entry.name.length, true)
        record.setUint16(30, offsetIn64 ? 12 : 0, true)
        record.setUint32(38, 0o100644 << 16, true)
        record.setUint32(42, offsetIn64 ? u32Max : entry.offset, true)
        const bytes = new Uint8Array(record.buffer)
        bytes.set(entry.name, 46)
        if (offsetIn64) {
          const extra = 46 + entry.name.length
          record.setUint16(extra, 0x0001, true) // ZIP64 extended information
          record.setUint16(extra + 2, 8, true)
          record.setBigUint64(extra + 4, BigInt(entry.offset), true)
        }
        push(bytes, bytes.length)
      }
      const directoryBytes = offset - directoryOffset
      const needs64 =
        zip64 === 'always' ||
        written.length >= u16Max ||
        directoryOffset >= u32Max ||
        directoryBytes >= u32Max
      if (needs64) {
        const end64 = new DataView(new ArrayBuffer(56 + 20))
        end64.setUint32(0, 0x06064b50, true)
        end64.setBigUint64(4, 44n, true) // size of the rest of this record
        end64.setUint16(12, 45, true)
        end64.setUint16(14, 45, true)
        end64.setBigUint64(24, BigInt(written.length), true)
        end64.setBigUint64(32, BigInt(written.length), true)
        end64.setBigUint64(40, BigInt(directoryBytes), true)
        end64.setBigUint64(48, BigInt(directoryOffset), true)
        // Locator
        end64.setUint32(56, 0x07064b50, true)
        end64.setBigUint64(64, BigInt(offset), true)
        end64.setUint32(72, 1, true) // total number of disks
        push(new Uint8Array(end64.buffer), end64.byteLength)
      }
      const end = new DataView(new ArrayBuffer(22))
      end.setUint32(0, 0x06054b50, true)
      end.setUint16(8, needs64 ? u16Max : written.length, true)
      end.setUint16(10, needs64 ? u16Max : written.length, true)
      end.setUint32(12, needs64 ? u32Max : directoryBytes, true)
      end.setUint32(16, needs64 ? u32Max : directoryOffset, true)
      push(new Uint8Array(end.buffer), end.byteLength)
      return new Blob(parts, { type })
    },
  }
}

/** One file in an archive, as its central directory describes it. */
export interface ZipEntry {
  name: string
  /** 0 stored, 8 deflated. */
  method: number
  crc: number
  compressedBytes: number
  bytes: number
  headerOffset: number
}

/**
 * The archive's files by name, read from its central directory; throws BackupFormatError when
 * the file is not a ZIP archive or its directory is damaged.
 */
export async function readZipDirectory(archive: Blob): Promise<Map<string, ZipEntry>> {
  const notZip = (why: string) =>
    new BackupFormatError(`This file is not a ZIP archive, or it is damaged (${why}).`)
  const tailStart = Math.max(0, archive.size - (22 + u16Max))
  const tail = await bytesOf(archive, tailStart, archive.size)
  const tailView = view(tail)
  let endAt = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (
      tailView.getUint32(i, true) === 0x06054b50 &&
      i + 22 + tailView.getUint16(i + 20, true) === tail.length
    ) {
      endAt = i
      break
    }
  }
  if (endAt < 0) throw notZip('no end-of-archive record')
  let count = tailView.getUint16(endAt + 10, true)
  let directoryBytes = tailView.getUint32(endAt + 12, true)
  let directoryOffset = tailView.getUint32(endAt + 16, true)
  if (count === u16Max || directoryBytes === u32Max || directoryOffset === u32Max) {
    const locatorAt = tailStart + endAt - 20
    const locator = locatorAt >= 0 ? view(await bytesOf(archive, locatorAt, locatorAt + 20)) : null
    if (locator?.getUint32(0, true) !== 0x07064b50) throw notZip('no ZIP64 locator')
    const end64At = safeNumber(locator.getBigUint64(8, true))
    const end64 = view(await bytesOf(archive, end64At, end64At + 56))
    if (end64.byteLength < 56 || end64.getUint32(0, true) !== 0x06064b50) {
      throw notZip('no ZIP64 end record')
    }
    count = safeNumber(end64.getBigUint64(32, true))
    directoryBytes = safeNumber(end64.getBigUint64(40, true))
    directoryOffset = safeNumber(end64.getBigUint64(48, true))
  }
  if (directoryOffset + directoryBytes > archive.size) throw notZip('the directory is cut off')

  const directory = view(await bytesOf(archive, directoryOffset, directoryOffset + directoryBytes))
  const decoder = new TextDecoder()
  const entries = new Map<string, ZipEntry>()
  let at = 0
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.byteLength || directory.getUint32(at, true) !== 0x02014b50) {
      throw notZip('a damaged directory record')
    }
    const flags = directory.getUint16(at + 8, true)
    const nameLength = directory.getUint16(at + 28, true)
    const extraLength = directory.getUint16(at + 30, true)
    const commentLength = directory.getUint16(at + 32, true)
    if (at + 46 + nameLength + extraLength > directory.byteLength) {
      throw notZip('a damaged directory record')
    }
    const nameStart = directory.byteOffset + at + 46
    const name = decoder.decode(new Uint8Array(directory.buffer, nameStart, nameLength))
    const entry: ZipEntry = {
      name,
      method: directory.getUint16(at + 10, true),
      crc: directory.getUint32(at + 16, true),
      compressedBytes: directory.getUint32(at + 20, true),
      bytes: directory.getUint32(at + 24, true),
      headerOffset: directory.getUint32(at + 42, true),
    }
    readZip64Extra(entry, new DataView(directory.buffer, nameStart + nameLength, extraLength))
    if (flags & 1) {
      throw new BackupFormatError(`"${name}" in this ZIP archive is encrypted; backups never are.`)
    }
    if (entries.has(name)) throw notZip(`"${name}" appears twice`)
    if (!name.endsWith('/')) entries.set(name, entry)
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/**
 * An entry's bytes, inflated if need be; throws BackupFormatError when they are cut off or fail
 * their CRC (skipped with `crc: false`, for callers that check a stronger hash).
 */
export async function readEntry(
  archive: Blob,
  entry: ZipEntry,
  { crc = true }: { crc?: boolean } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const start = await dataStart(archive, entry)
  const stored = await bytesOf(archive, start, start + entry.compressedBytes)
  if (stored.length !== entry.compressedBytes) throw damaged(entry, 'it is cut off')
  const bytes = entry.method === 0 ? stored : inflate(entry, stored)
  if (bytes.length !== entry.bytes) throw damaged(entry, 'its size does not match')
  if (crc && crc32(bytes) !== entry.crc) throw damaged(entry, 'its checksum does not match')
  return bytes
}

/**
 * An entry as a Blob of type `type`. A stored entry is a slice of the archive and is not read
 * here, so the caller checks its content (a backup checks originals by SHA-256).
 */
export async function entryBlob(archive: Blob, entry: ZipEntry, type: string): Promise<Blob> {
  if (entry.method !== 0) return new Blob([await readEntry(archive, entry)], { type })
  const start = await dataStart(archive, entry)
  if (start + entry.bytes > archive.size) throw damaged(entry, 'it is cut off')
  return archive.slice(start, start + entry.bytes, type)
}

const crcTable = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC-32 (ISO 3309, as ZIP uses it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffff_ffff
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffff_ffff) >>> 0
}

async function dataStart(archive: Blob, entry: ZipEntry): Promise<number> {
  const header = view(await bytesOf(archive, entry.headerOffset, entry.headerOffset + 30))
  if (header.byteLength < 30 || header.getUint32(0, true) !== 0x04034b50) {
    throw damaged(entry, 'its header is missing')
  }
  return entry.headerOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true)
}

function inflate(entry: ZipEntry, stored: Uint8Array): Uint8Array<ArrayBuffer> {
  if (entry.method !== 8) {
    throw new BackupFormatError(
      `"${entry.name}" uses ZIP compression method ${entry.method}; only stored and deflated files can be read.`,
    )
  }
  try {
    return inflateSync(stored, { out: new Uint8Array(entry.bytes) })
  } catch (cause) {
    throw damaged(entry, 'it cannot be decompressed', cause)
  }
}

/** Fills the ZIP64 fields, in the order APPNOTE 4.5.3 gives, that the classic record marks as too big. */
function readZip64Extra(entry: ZipEntry, extra: DataView): void {
  for (let at = 0; at + 4 <= extra.byteLength;) {
    const id = extra.getUint16(at, true)
    const size = extra.getUint16(at + 2, true)
    if (id === 0x0001) {
      let field = at + 4
      const next = () => {
        const value = safeNumber(extra.getBigUint64(field, true))
        field += 8
        return value
      }
      if (entry.bytes === u32Max) entry.bytes = next()
      if (entry.compressedBytes === u32Max) entry.compressedBytes = next()
      if (entry.headerOffset === u32Max) entry.headerOffset = next()
      return
    }
    at += 4 + size
  }
}

function damaged(entry: ZipEntry, why: string, cause?: unknown): BackupFormatError {
  return new BackupFormatError(`"${entry.name}" in this ZIP archive is damaged: ${why}.`, { cause })
}

async function bytesOf(blob: Blob, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer())
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BackupFormatError('This ZIP archive gives a size or position too large to be real.')
  }
  return Number(value)
}

/** MS-DOS date and time (local, 2 s steps), clamped to the years it can hold (1980–2107). */
function toDosTime(epochMs: number): number {
  const date = new Date(Number.isFinite(epochMs) ? epochMs : Date.now())
  const year = Math.min(2107, Math.max(1980, date.getFullYear()))
  if (year !== date.getFullYear()) return ((year - 1980) << 25) | (1 << 21) | (1 << 16)
  return (
    (((year - 1980) << 25) |
      ((date.getMonth() + 1) << 21) |
      (date.getDate() << 16) |
      (date.getHours() << 11) |
      (date.getMinutes() << 5) |
      (date.getSeconds() >> 1)) >>>
    0
  )
}
