/** Formats the library accepts, by the short name `image-size` reports, with their MIME type. */
export const imageFormats = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  avif: 'image/avif',
} as const

export type ImageFormat = keyof typeof imageFormats

/** Names to show people, in the order `imageFormats` lists them. */
export const formatLabels = {
  jpg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  bmp: 'BMP',
  avif: 'AVIF',
} as const satisfies Record<ImageFormat, string>

/** Refused before the full image is decoded. */
export const importLimits = {
  maxBytes: 200 * 1024 * 1024,
  maxPixels: 100_000_000,
} as const

export interface Gps {
  /** Degrees, north positive. */
  latitude: number
  /** Degrees, east positive. */
  longitude: number
  /** Metres above sea level. */
  altitude?: number
}

/** The EXIF fields the library shows and sorts by; everything optional. */
export interface ExifSummary {
  make?: string
  model?: string
  lens?: string
  /** ISO 8601 local time as the camera recorded it (no zone unless EXIF has one). */
  takenAt?: string
  gps?: Gps
  iso?: number
  exposureTimeS?: number
  fNumber?: number
  focalLengthMm?: number
  software?: string
}

/** What the import worker learns about one file. */
export interface Inspected {
  /** SHA-256 of the file's bytes, lowercase hex. */
  hash: string
  format: ImageFormat
  mime: (typeof imageFormats)[ImageFormat]
  /** Pixel size as displayed, after EXIF orientation. */
  width: number
  height: number
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number
  exif: ExifSummary
  /** WebP (or PNG where WebP encoding is missing), longest side ≤ thumbnailMaxSide. */
  thumbnail: Blob
  thumbnailWidth: number
  thumbnailHeight: number
}

export const thumbnailMaxSide = 384
