import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { applyRecipe } from '../../models/_transform/apply'
import { loadOpenCv } from '../../models/_testing/node-context'
import type { Recipe } from '../../models/_transform/recipe'
import type { Inspected } from '../../workers/import/types'
import { applyToImages, remainingMs, type RenderVersion } from './batch-edit'
import { createDb, type ImageRecord, type SightlineDb } from './db'
import { restoreEdits, saveEdit } from './edits'
import { addImage } from './images'

const opened: SightlineDb[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()))
})

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))

async function added(db: SightlineDb, name: string): Promise<ImageRecord> {
  const bytes = fixture(name)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  const { width = 1, height = 1 } = await sharp(bytes).metadata()
  const inspected: Inspected = {
    hash: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
    format: 'jpg',
    mime: 'image/jpeg',
    width,
    height,
    orientation: 1,
    exif: {},
    thumbnail: new Blob([bytes], { type: 'image/jpeg' }),
    thumbnailWidth: width,
    thumbnailHeight: height,
  }
  const result = await addImage(db, new File([bytes], name, { type: 'image/jpeg' }), inspected)
  if (result.status !== 'added') throw new Error(`${name} was not added`)
  return result.record
}

/** The real recipe renderer (opencv.js) with sharp decoding and encoding, as Node has no canvas. */
const render: RenderVersion = async (signal, _image, original, recipe) => {
  signal.throwIfAborted()
  const { cv } = await loadOpenCv()
  const { data, info } = await sharp(Buffer.from(await original.arrayBuffer()))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const out = applyRecipe(
    cv,
    { data: new Uint8ClampedArray(data), width: info.width, height: info.height },
    recipe,
    { orientation: 1 },
  )
  const png = await sharp(Buffer.from(out.data), {
    raw: { width: out.width, height: out.height, channels: 4 },
  })
    .png()
    .toBuffer()
  return { blob: new Blob([png], { type: 'image/png' }), width: out.width, height: out.height }
}

const quarterTurn: Recipe = [{ op: 'auto-orient' }, { op: 'rotate', degrees: 90, fill: 'black' }]

describe(applyToImages, () => {
  it('saves each image a new version with the recipe applied, and reports progress', async () => {
    const db = createDb(`batch-${crypto.randomUUID()}`)
    opened.push(db)
    const images = [await added(db, 'fruits.jpg'), await added(db, 'dog.jpg')]
    const seen: number[] = []
    const outcome = await applyToImages(
      db,
      new AbortController().signal,
      images,
      quarterTurn,
      render,
      { onProgress: (progress) => seen.push(progress.done) },
    )
    expect(outcome).toMatchObject({ saved: 2, failed: [], cancelled: false })
    expect(outcome.added.sort()).toEqual(images.map((image) => image.id).sort())
    expect(seen.at(-1)).toBe(2)
    for (const image of images) {
      const edit = await db.edits.get(image.id)
      // A quarter turn swaps width and height.
      expect(edit).toMatchObject({ revision: 1, width: image.height, height: image.width })
      const stored = await db.edited.get(image.id)
      const meta = await sharp(Buffer.from(await stored!.blob.arrayBuffer())).metadata()
      expect([meta.width, meta.height]).toEqual([image.height, image.width])
    }
  })

  it("keeps an image's own redaction and lets an undo bring back the replaced edit", async () => {
    const db = createDb(`batch-${crypto.randomUUID()}`)
    opened.push(db)
    const image = await added(db, 'astronaut.jpg')
    const redaction: Recipe = [
      { op: 'auto-orient' },
      {
        op: 'redact',
        style: 'pixelate',
        regions: [
          {
            x: 0.4,
            y: 0.1,
            width: 0.2,
            height: 0.25,
            kind: 'face',
            enabled: true,
            label: 'Face 1',
          },
        ],
      },
    ]
    const first = await render(
      new AbortController().signal,
      image,
      new Blob([fixture('astronaut.jpg')]),
      redaction,
    )
    await saveEdit(db, image.id, redaction, first)

    const outcome = await applyToImages(
      db,
      new AbortController().signal,
      [image],
      quarterTurn,
      render,
    )
    const edit = await db.edits.get(image.id)
    expect(edit?.revision).toBe(2)
    expect(edit?.operations.map((op) => op.op)).toEqual(['auto-orient', 'redact', 'rotate'])

    await restoreEdits(db, outcome.replaced)
    expect((await db.edits.get(image.id))?.operations).toEqual(redaction)
  })

  it('lists an image it cannot edit and goes on with the rest', async () => {
    const db = createDb(`batch-${crypto.randomUUID()}`)
    opened.push(db)
    const good = await added(db, 'fruits.jpg')
    // A record whose original never reached this device (a results-only sync).
    const missing = { ...good, id: crypto.randomUUID(), name: 'not-stored.jpg' }
    const outcome = await applyToImages(
      db,
      new AbortController().signal,
      [missing, good],
      quarterTurn,
      render,
    )
    expect(outcome.saved).toBe(1)
    expect(outcome.failed.map((f) => f.image.name)).toEqual(['not-stored.jpg'])
    expect(outcome.failed[0]!.message).toMatch(/original is not on this device/)
  })

  it('stops when cancelled and leaves the images not reached untouched', async () => {
    const db = createDb(`batch-${crypto.randomUUID()}`)
    opened.push(db)
    const images = [
      await added(db, 'fruits.jpg'),
      await added(db, 'dog.jpg'),
      await added(db, 'horses.jpg'),
    ]
    const controller = new AbortController()
    const outcome = await applyToImages(db, controller.signal, images, quarterTurn, render, {
      concurrency: 1,
      onProgress: ({ done }) => done === 1 && controller.abort(),
    })
    expect(outcome.cancelled).toBe(true)
    expect(outcome.saved).toBe(1)
    expect(await db.edits.count()).toBe(1)
  })
})

describe(remainingMs, () => {
  it('extrapolates from the images done, and knows nothing before the first', () => {
    expect(remainingMs(1000, 0, 10)).toBeUndefined()
    expect(remainingMs(3000, 3, 10)).toBe(7000)
    expect(remainingMs(5000, 10, 10)).toBe(0)
  })
})
