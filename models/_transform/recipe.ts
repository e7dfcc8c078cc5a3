import { z } from 'zod'

/**
 * A rectangle in normalised coordinates (0–1) of the image it applies to, so one recipe renders
 * the same at preview and full resolution.
 */
const rect = z.object({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  width: z.number().gt(0).max(1),
  height: z.number().gt(0).max(1),
})
export type Rect = z.infer<typeof rect>

const point = z.tuple([z.number().min(-0.5).max(1.5), z.number().min(-0.5).max(1.5)])
export type Point = z.infer<typeof point>

const redactionRegion = rect.extend({
  kind: z.enum(['face', 'text']),
  enabled: z.boolean(),
  /** What the region covers, for the per-region toggles ("Face 2", "Invoice"). */
  label: z.string().max(200),
})
export type RedactionRegion = z.infer<typeof redactionRegion>

/**
 * Every edit operation and its parameters. Pixel-sized parameters (radii, kernel and block
 * sizes, resize targets) are in pixels of the full-resolution image; a preview scales them.
 */
export const operationSchema = z.discriminatedUnion('op', [
  /** Turns the pixels upright per the original's EXIF orientation (1–8). */
  z.object({ op: z.literal('auto-orient') }),
  /** Clockwise by `degrees`; the canvas grows to fit and new corners are filled. */
  z.object({
    op: z.literal('rotate'),
    degrees: z.number().min(-360).max(360),
    fill: z.enum(['black', 'white']).default('black'),
  }),
  z.object({ op: z.literal('flip'), axis: z.enum(['horizontal', 'vertical']) }),
  z.object({ op: z.literal('crop'), rect }),
  /** Scales so the long side is `longSide` px (aspect kept); never enlarges more than 4×. */
  z.object({ op: z.literal('resize'), longSide: z.number().int().min(16).max(16_384) }),
  /** Maps the quadrilateral `corners` (top-left, top-right, bottom-right, bottom-left) to a rectangle. */
  z.object({
    op: z.literal('perspective'),
    corners: z.tuple([point, point, point, point]),
  }),
  z.object({ op: z.literal('grayscale') }),
  /** out = contrast · (gamma-corrected in − 128) + 128 + brightness, per channel, on 0–255. */
  z.object({
    op: z.literal('adjust'),
    /** −100–100, added to every channel in 0–255 units × 1.27. */
    brightness: z.number().min(-100).max(100).default(0),
    /** −100–100; the slope is 1 + contrast / 100. */
    contrast: z.number().min(-100).max(100).default(0),
    /** 0.2–5; > 1 brightens mid-tones (out = 255 · (in / 255)^(1 / gamma)). */
    gamma: z.number().min(0.2).max(5).default(1),
  }),
  /** Grey-world white balance: scales each channel so their means match. */
  z.object({ op: z.literal('white-balance') }),
  /** Histogram equalisation of the luminance, colours kept. */
  z.object({ op: z.literal('equalize') }),
  /** Contrast-limited adaptive histogram equalisation of the luminance. */
  z.object({
    op: z.literal('clahe'),
    clipLimit: z.number().min(1).max(10).default(2),
    /** Tiles across the short side. */
    tiles: z.number().int().min(2).max(16).default(8),
  }),
  /** Edge-preserving bilateral filter; `strength` 1–100 sets the colour sigma. */
  z.object({
    op: z.literal('denoise'),
    strength: z.number().min(1).max(100).default(30),
    /** Neighbourhood diameter in px. */
    diameter: z.number().int().min(3).max(25).default(9),
  }),
  /** Unsharp mask: in + amount · (in − gaussian(in, radius)). */
  z.object({
    op: z.literal('sharpen'),
    amount: z.number().min(0).max(5).default(1),
    radius: z.number().min(0.3).max(20).default(1.5),
  }),
  /** Gaussian blur; `radius` is the sigma in px. */
  z.object({ op: z.literal('blur'), radius: z.number().min(0.3).max(100).default(2) }),
  /** White edges on black. */
  z.object({
    op: z.literal('canny'),
    low: z.number().min(0).max(1000).default(50),
    high: z.number().min(0).max(1000).default(150),
  }),
  /** Adaptive (local mean) threshold to black and white, for a scanned look. */
  z.object({
    op: z.literal('threshold'),
    /** Odd neighbourhood size in px. */
    blockSize: z.number().int().min(3).max(255).default(31),
    /** Subtracted from the local mean; higher keeps more white. */
    offset: z.number().min(-50).max(50).default(10),
  }),
  z.object({
    op: z.literal('morphology'),
    kind: z.enum(['open', 'close']),
    /** Square kernel side in px. */
    size: z.number().int().min(1).max(51).default(3),
  }),
  /**
   * Blurs or pixelates regions given in the upright original's normalised coordinates
   * (analysis results); it must come before any operation that moves pixels.
   */
  z.object({
    op: z.literal('redact'),
    style: z.enum(['blur', 'pixelate']),
    regions: z.array(redactionRegion).max(2000),
  }),
])

export type Operation = z.infer<typeof operationSchema>
export type OperationId = Operation['op']
export type OperationOf<Id extends OperationId> = Extract<Operation, { op: Id }>

export const recipeSchema = z.array(operationSchema).max(100)
export type Recipe = Operation[]

/** Operations that move pixels: a redaction's regions would no longer line up after them. */
export const geometricOperations = new Set<OperationId>([
  'rotate',
  'flip',
  'crop',
  'resize',
  'perspective',
])
