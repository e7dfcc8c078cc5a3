import type { TaskId } from '../../models'
import type { ImageRecord, ResultRecord } from '../_data/db'

/**
 * The analysis export format, version 1 (described in README "Analysis results as JSON").
 * Additive changes keep the version; anything that renames or removes a field bumps it.
 */
export interface AnalysisExport {
  format: 'sightline-analysis'
  formatVersion: 1
  /** ISO 8601. */
  exportedAt: string
  images: ExportedImage[]
}

export interface ExportedImage {
  name: string
  /** SHA-256 of the original file, lowercase hex. */
  sha256: string
  width: number
  height: number
  results: Partial<Record<TaskId, ExportedResult>>
}

export interface ExportedResult {
  /** Version of the task (model and post-processing) that produced it. */
  version: string
  provider: ResultRecord['provider']
  threads: number
  /** Pre-processing, inference and post-processing, ms. */
  durationMs: number
  /** Decoding the image, ms. */
  decodeMs: number
  /** ISO 8601. */
  createdAt: string
  /** Pixel grid of every coordinate in `output`. */
  imageSize: { width: number; height: number }
  source: ResultRecord['source']
  /** The task's output; binary arrays (masks) as `{ encoding: 'base64', bytes }`. */
  output: unknown
}

/** Builds the export document for images and their stored results. */
export function buildAnalysisExport(
  images: readonly { image: ImageRecord; results: readonly ResultRecord[] }[],
  now = new Date(),
): AnalysisExport {
  return {
    format: 'sightline-analysis',
    formatVersion: 1,
    exportedAt: now.toISOString(),
    images: images.map(({ image, results }) => ({
      name: image.name,
      sha256: image.hash,
      width: image.width,
      height: image.height,
      results: Object.fromEntries(
        results.map((r) => [
          r.task,
          {
            version: r.version,
            provider: r.provider,
            threads: r.threads,
            durationMs: r.durationMs,
            decodeMs: r.decodeMs,
            createdAt: new Date(r.createdAt).toISOString(),
            imageSize: r.imageSize,
            source: r.source,
            output: toJsonValue(r.output),
          },
        ]),
      ),
    })),
  }
}

/** Typed arrays become base64 so that masks survive JSON; everything else is copied as is. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { encoding: 'base64', bytes: base64(value) }
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>)
  if (Array.isArray(value)) return value.map(toJsonValue)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]))
  }
  return value
}

function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** The export as a pretty-printed JSON file. */
export function analysisJsonBlob(doc: AnalysisExport): Blob {
  return new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' })
}
