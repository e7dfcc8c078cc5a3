import sharp from 'sharp'
import type { OpenCv } from '../_shared/opencv'
import { fixture } from '../_testing/load-image'
import { loadOpenCv } from '../_testing/node-context'
import type { RgbaImage } from '../types'
import { applyRecipe } from './apply'
import { fromSharp, loadPhoto, maxAbsDiff, meanAbsDiff, toSharp } from './ops/test-helpers'
import type { Recipe } from './recipe'

let cv: OpenCv
/** exif-orientation-6.jpg as stored (480×320, turned 90° anticlockwise), EXIF not applied. */
let stored: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  stored = await fromSharp(sharp(fixture('exif-orientation-6.jpg')))
})

describe(applyRecipe, () => {
  it('returns the stored pixels for an empty recipe', () => {
    const out = applyRecipe(cv, stored, [], { orientation: 6 })
    expect([out.width, out.height]).toEqual([480, 320])
    expect(maxAbsDiff(out, stored)).toBe(0)
  })

  it('chains auto-orient, rotate, crop and flip as the same steps in sharp', async () => {
    const recipe: Recipe = [
      { op: 'auto-orient' },
      { op: 'rotate', degrees: 90, fill: 'black' },
      { op: 'crop', rect: { x: 0.1, y: 0.2, width: 0.6, height: 0.5 } },
      { op: 'flip', axis: 'horizontal' },
    ]
    const out = applyRecipe(cv, stored, recipe, { orientation: 6 })

    // One sharp pipeline per step: sharp orders the operations of one pipeline its own way.
    const upright = await fromSharp(sharp(fixture('exif-orientation-6.jpg')).rotate())
    const turned = await fromSharp(toSharp(upright).rotate(90)) // 480×320
    const cropped = await fromSharp(
      toSharp(turned).extract({ left: 48, top: 64, width: 288, height: 160 }),
    )
    const expected = await fromSharp(toSharp(cropped).flop())
    expect([out.width, out.height]).toEqual([288, 160])
    expect(maxAbsDiff(out, expected)).toBe(0)
  })

  it('redacts in upright coordinates before and after auto-orient alike', () => {
    const region = {
      x: 0.2,
      y: 0.3,
      width: 0.4,
      height: 0.2,
      kind: 'face' as const,
      enabled: true,
      label: 'Face 1',
    }
    const redact = { op: 'redact' as const, style: 'pixelate' as const, regions: [region] }
    const before = applyRecipe(cv, stored, [redact, { op: 'auto-orient' }], { orientation: 6 })
    const after = applyRecipe(cv, stored, [{ op: 'auto-orient' }, redact], { orientation: 6 })
    const orientedOnly = applyRecipe(cv, stored, [{ op: 'auto-orient' }], { orientation: 6 })
    // Same place (pixelation blocks start from a different corner, so values differ inside).
    const changed = (image: RgbaImage) => {
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -1, -1]
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          const p = (y * image.width + x) * 4
          if ([0, 1, 2].some((c) => image.data[p + c] !== orientedOnly.data[p + c])) {
            ;[minX, minY] = [Math.min(minX, x), Math.min(minY, y)]
            ;[maxX, maxY] = [Math.max(maxX, x), Math.max(maxY, y)]
          }
        }
      }
      return [minX, minY, maxX, maxY]
    }
    // 320×480 upright: x 64–191, y 144–239.
    expect(changed(after)).toEqual([64, 144, 191, 239])
    expect(changed(before)).toEqual([64, 144, 191, 239])
  })

  it('throws AbortError when the signal is aborted', () => {
    const controller = new AbortController()
    controller.abort()
    const recipe: Recipe = [{ op: 'auto-orient' }]
    expect(() =>
      applyRecipe(cv, stored, recipe, { orientation: 6, signal: controller.signal }),
    ).toThrow(expect.objectContaining({ name: 'AbortError' }))
  })

  it('scales pixel-sized parameters with the preview', async () => {
    const photo = await loadPhoto('astronaut.jpg', 512)
    const recipe: Recipe = [{ op: 'resize', longSide: 256 }]
    const full = applyRecipe(cv, photo, recipe, { orientation: 1 })
    expect([full.width, full.height]).toEqual([256, 256])
    const preview = applyRecipe(cv, photo, recipe, { orientation: 1, scale: 0.5 })
    expect([preview.width, preview.height]).toEqual([128, 128])
    // The preview is the full render at half size.
    const halved = await fromSharp(toSharp(full).resize(128, 128, { kernel: 'cubic' }))
    expect(meanAbsDiff(preview, halved)).toBeLessThan(3)
  })
})
