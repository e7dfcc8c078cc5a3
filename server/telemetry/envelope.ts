import { gunzipSync } from 'node:zlib'

/** One item of a Sentry envelope: its header and its payload bytes. */
export interface EnvelopeItem {
  header: { type?: string; length?: number; [key: string]: unknown }
  payload: Uint8Array
}

export interface Envelope {
  header: { dsn?: string; event_id?: string; sent_at?: string; [key: string]: unknown }
  items: EnvelopeItem[]
}

/** A body that is not a well-formed envelope (or inflates past the limit). */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError'
}

const newline = 0x0a

/**
 * Parses a Sentry envelope (https://develop.sentry.dev/sdk/envelopes/) from its bytes: a JSON
 * header line, then items of a JSON header line and a payload that is `length` bytes when the
 * header says so, else runs to the next newline. Works on bytes because `length` counts bytes and
 * payloads may be binary.
 */
export function parseEnvelope(bytes: Uint8Array, maxItems = 100): Envelope {
  let offset = 0
  const line = (): Uint8Array => {
    const end = bytes.indexOf(newline, offset)
    const stop = end === -1 ? bytes.length : end
    const slice = bytes.subarray(offset, stop)
    offset = end === -1 ? bytes.length : end + 1
    return slice
  }
  const json = (slice: Uint8Array, what: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(new TextDecoder().decode(slice))
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        return value as Record<string, unknown>
      }
    } catch {
      // Reported below with what was being read.
    }
    throw new EnvelopeError(`The envelope's ${what} is not a JSON object`)
  }

  const header = json(line(), 'header')
  const items: EnvelopeItem[] = []
  while (offset < bytes.length) {
    const headerLine = line()
    if (headerLine.length === 0) continue // a trailing newline, or a blank line between items
    if (items.length >= maxItems) throw new EnvelopeError(`More than ${maxItems} items`)
    const itemHeader = json(headerLine, `item ${items.length} header`)
    const length = itemHeader.length
    let payload: Uint8Array
    if (length === undefined) {
      payload = line()
    } else {
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
        throw new EnvelopeError(`Item ${items.length} has an invalid length`)
      }
      if (offset + length > bytes.length) {
        throw new EnvelopeError(`Item ${items.length} is shorter than its length of ${length}`)
      }
      payload = bytes.subarray(offset, offset + length)
      offset += length
      if (bytes[offset] === newline) offset++
    }
    items.push({ header: itemHeader as EnvelopeItem['header'], payload })
  }
  return { header: header as Envelope['header'], items }
}

/**
 * The request body as envelope bytes: gzip is inflated, but never past `maxBytes` (a small gzip
 * body can inflate to gigabytes).
 */
export function decodeBody(
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
) {
  const gzipped =
    contentEncoding?.toLowerCase().includes('gzip') || (body[0] === 0x1f && body[1] === 0x8b)
  if (!gzipped) return body
  try {
    return new Uint8Array(gunzipSync(body, { maxOutputLength: maxBytes }))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new EnvelopeError(`The body inflates past ${maxBytes} bytes`)
    }
    throw new EnvelopeError('The body is not valid gzip')
  }
}

/** The public key of a DSN (`http://KEY@host/…`), or undefined when there is none. */
export function dsnKey(dsn: unknown): string | undefined {
  if (typeof dsn !== 'string') return undefined
  try {
    return new URL(dsn).username || undefined
  } catch {
    return undefined
  }
}
