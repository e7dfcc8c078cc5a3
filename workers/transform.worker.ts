import { expose } from 'comlink'
import { applyRecipe } from '../models/_transform/apply'
import { measureSkew } from '../models/_transform/document/deskew'
import { findPage } from '../models/_transform/document/find-page'
import { toStoredOrientation } from '../models/_transform/orientation'
import type { Point, Recipe } from '../models/_transform/recipe'
import type { RgbaImage } from '../models/types'
import { prepareExif, readExif, withExif } from './export/exif'
import { decodeForAnalysis } from './runtime/decode'
import { getOrLoadOpenCv } from './runtime/opencv'
import type { TelemetryConfig } from './telemetry/config'
import { configureSentry } from './telemetry/sentry'
import { downscale, encode, type ExportType } from './transform/encode'

/** The image this worker has open: its pixels in the original's stored orientation. */
interface Source {
  key: string
  orientation: number
  /** Full resolution, or undefined in a worker that only renders previews. */
  full?: RgbaImage
  preview: RgbaImage
  fullSize: { width: number; height: number }
}

let source: Source | undefined

function getSource(key: string): Source {
  if (source?.key !== key) {
    throw new Error(`The image ${key} is not open in this worker; call open first.`)
  }
  return source
}

async function decodeStored(original: Blob, orientation: number): Promise<RgbaImage> {
  const [upright, { cv }] = await Promise.all([
    decodeForAnalysis(original, Number.POSITIVE_INFINITY),
    getOrLoadOpenCv(),
  ])
  return toStoredOrientation(cv, upright, orientation)
}

/** The open image's full pixels when `key` names it, else a fresh decode of `original`. */
async function fullPixels(key: string, original: Blob, orientation: number): Promise<RgbaImage> {
  if (source?.key === key && source.full) return source.full
  return decodeStored(original, orientation)
}

/** A rendering and the size of the full-resolution result it stands for. */
export interface Rendering {
  blob: Blob
  width: number
  height: number
}

async function render(
  image: RgbaImage,
  recipe: Recipe,
  orientation: number,
  scale: number,
): Promise<RgbaImage> {
  const { cv } = await getOrLoadOpenCv()
  return applyRecipe(cv, image, recipe, { orientation, scale })
}

/** Binary outputs (edges, thresholds) compress far better as PNG; photos as JPEG. */
function storedType(recipe: Recipe): 'image/png' | 'image/jpeg' {
  const last = recipe.at(-1)?.op
  return last === 'threshold' || last === 'canny' ? 'image/png' : 'image/jpeg'
}

const api = {
  /**
   * Decodes `original` for editing and keeps it (one image at a time). `keepFull` false keeps
   * only the preview copy, whose long side is `previewMaxSide`.
   */
  async open(
    key: string,
    original: Blob,
    orientation: number,
    previewMaxSide: number,
    keepFull: boolean,
  ): Promise<{ width: number; height: number }> {
    if (source?.key === key && (!keepFull || source.full)) return source.fullSize
    source = undefined
    const full = await decodeStored(original, orientation)
    source = {
      key,
      orientation,
      full: keepFull ? full : undefined,
      preview: downscale(full, previewMaxSide),
      fullSize: { width: full.width, height: full.height },
    }
    return source.fullSize
  },

  /** Renders `recipe` over the open image: the downscaled preview, or at full resolution. */
  async render(key: string, recipe: Recipe, resolution: 'preview' | 'full'): Promise<Rendering> {
    const open = getSource(key)
    const image = resolution === 'full' && open.full ? open.full : open.preview
    const scale = image.width / open.fullSize.width
    const out = await render(image, recipe, open.orientation, scale)
    const type = resolution === 'full' ? 'image/jpeg' : 'image/png'
    return { blob: await encode(out, type, 0.92), width: out.width, height: out.height }
  },

  /** Where the page is in the preview rendered by `recipe` (normalised corners), or null. */
  async findPage(
    key: string,
    recipe: Recipe,
  ): Promise<{ corners: [Point, Point, Point, Point]; confidence: number } | null> {
    const open = getSource(key)
    const scale = open.preview.width / open.fullSize.width
    const image = await render(open.preview, recipe, open.orientation, scale)
    const { cv } = await getOrLoadOpenCv()
    return findPage(cv, image)
  },

  /** The clockwise rotation in degrees that levels the text in the preview rendered by `recipe`. */
  async measureSkew(key: string, recipe: Recipe): Promise<number> {
    const open = getSource(key)
    const scale = open.preview.width / open.fullSize.width
    const image = await render(open.preview, recipe, open.orientation, scale)
    const { cv } = await getOrLoadOpenCv()
    return measureSkew(cv, image)
  },

  /**
   * Renders `recipe` over `original` at full resolution for storing as the edited version (JPEG
   * at quality 0.95, or PNG for black-and-white results).
   */
  async renderVersion(
    key: string,
    original: Blob,
    orientation: number,
    recipe: Recipe,
  ): Promise<Rendering> {
    const out = await render(await fullPixels(key, original, orientation), recipe, orientation, 1)
    const type = storedType(recipe)
    return { blob: await encode(out, type, 0.95), width: out.width, height: out.height }
  },

  /**
   * Encodes `original` with `recipe` applied as `type`. The browser's encoder writes no
   * metadata; `keepMetadata` copies the original's EXIF (GPS included) in, marked upright and
   * with the new size.
   */
  async exportImage(
    key: string,
    original: Blob,
    orientation: number,
    recipe: Recipe,
    type: ExportType,
    quality: number,
    keepMetadata: boolean,
  ): Promise<Blob> {
    const image = await render(await fullPixels(key, original, orientation), recipe, orientation, 1)
    const encoded = await encode(image, type, quality)
    if (!keepMetadata) return encoded
    const tiff = readExif(new Uint8Array(await original.arrayBuffer()))
    if (!tiff) return encoded
    const exif = prepareExif(tiff, { width: image.width, height: image.height })
    const bytes = withExif(new Uint8Array(await encoded.arrayBuffer()), type, exif)
    return new Blob([bytes], { type })
  },

  /** Forgets the open image. */
  close(): void {
    source = undefined
  },

  /** Starts (or with `null` stops) error reporting in this worker; see app/_lib/telemetry. */
  configureTelemetry: (config: TelemetryConfig | null) => configureSentry(config, 'worker'),
}

/** What `transform-client.ts` can call in a transform worker. */
export type TransformApi = typeof api

expose(api)
