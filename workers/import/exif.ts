import exifr from 'exifr'
import type { ExifSummary, Gps } from './types'

// Raw values (reviveValues off) so dates stay the camera's wall-clock text instead of becoming a
// Date in whatever zone the worker runs in. exifr still adds signed `latitude` and `longitude`.
const options = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  reviveValues: false,
  translateValues: false,
  pick: [
    'Make',
    'Model',
    'LensMake',
    'LensModel',
    'DateTimeOriginal',
    'OffsetTimeOriginal',
    'CreateDate',
    'OffsetTimeDigitized',
    'ISO',
    'ExposureTime',
    'FNumber',
    'FocalLength',
    'Software',
    'GPSLatitude',
    'GPSLatitudeRef',
    'GPSLongitude',
    'GPSLongitudeRef',
    'GPSAltitude',
    'GPSAltitudeRef',
  ],
}

/**
 * Reads the EXIF fields the library shows. Never throws: a file without EXIF, or with EXIF exifr
 * cannot parse (WebP, GIF and BMP are not read at all), gives `{}`.
 */
export async function readExif(input: Uint8Array | ArrayBuffer | Blob): Promise<ExifSummary> {
  const bytes = input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input
  let tags: Record<string, unknown> | undefined
  try {
    tags = await exifr.parse(bytes, options)
  } catch {
    // Unknown formats and malformed EXIF both land here; metadata is optional, so carry on.
    return {}
  }
  return tags ? summarize(tags) : {}
}

function summarize(tags: Record<string, unknown>): ExifSummary {
  const summary: ExifSummary = {
    make: text(tags.Make),
    model: text(tags.Model),
    lens: lens(text(tags.LensMake), text(tags.LensModel)),
    takenAt:
      toLocalIso(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ??
      toLocalIso(tags.CreateDate, tags.OffsetTimeDigitized),
    gps: gps(tags),
    iso: positive(Array.isArray(tags.ISO) ? tags.ISO[0] : tags.ISO),
    exposureTimeS: positive(tags.ExposureTime),
    fNumber: positive(tags.FNumber),
    focalLengthMm: positive(tags.FocalLength),
    software: text(tags.Software),
  }
  return Object.fromEntries(
    Object.entries(summary).filter(([, value]) => value !== undefined),
  ) as ExifSummary
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  // EXIF ASCII fields are often NUL- or space-padded to a fixed width.
  const trimmed = value.replace(/\0+$/, '').trim()
  return trimmed || undefined
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined
}

/** "FUJIFILM" + "XF35mmF2 R WR", without repeating a make the model already names. */
function lens(make: string | undefined, model: string | undefined): string | undefined {
  if (!model) return make
  if (!make || model.toLowerCase().startsWith(make.toLowerCase())) return model
  return `${make} ${model}`
}

/**
 * An EXIF date ("2023:07:14 18:32:05") and optional offset ("+02:00") as ISO 8601 text, zoned only
 * when the offset is given; blank, zeroed or impossible dates give undefined.
 */
export function toLocalIso(value: unknown, offset?: unknown): string | undefined {
  const match =
    typeof value === 'string' && /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/.exec(value)
  if (!match) return undefined
  const [, year = '', month = '', day = '', hour = '', minute = '', second = ''] = match
  const valid =
    year !== '0000' &&
    within(month, 1, 12) &&
    within(day, 1, 31) &&
    within(hour, 0, 23) &&
    within(minute, 0, 59) &&
    within(second, 0, 60) // 60: a leap second
  if (!valid) return undefined
  const zone =
    typeof offset === 'string' && /^[+-]\d\d:\d\d$/.test(offset.trim()) ? offset.trim() : ''
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${zone}`
}

function within(digits: string, min: number, max: number): boolean {
  const value = Number(digits)
  return value >= min && value <= max
}

function gps(tags: Record<string, unknown>): Gps | undefined {
  const { latitude, longitude } = tags
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return undefined
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined
  // Cameras without a fix often write 0/0 ("null island"): treat it as no position.
  if (latitude === 0 && longitude === 0) return undefined
  const result: Gps = { latitude, longitude }
  const altitude = tags.GPSAltitude
  if (typeof altitude === 'number' && Number.isFinite(altitude)) {
    // GPSAltitudeRef is a one-byte array here (values untranslated): 1 means below sea level.
    const ref = tags.GPSAltitudeRef
    const below = (ref instanceof Uint8Array ? ref[0] : ref) === 1
    result.altitude = below ? -altitude : altitude
  }
  return result
}
