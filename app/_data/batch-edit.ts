import { pasteRecipe } from '../_lib/recipe-clipboard'
import type { Recipe } from '../../models/_transform/recipe'
import type { ImageRecord, SightlineDb } from './db'
import { saveEdit, type RemovedEdit, type Rendered } from './edits'
import { getOriginal } from './images'

/** Renders one image's recipe at full resolution (the editing workers in the app). */
export type RenderVersion = (
  signal: AbortSignal,
  image: ImageRecord,
  original: Blob,
  recipe: Recipe,
) => Promise<Rendered>

export interface BatchProgress {
  done: number
  total: number
  failed: number
  /** Estimated time left; undefined until the first image is done. */
  remainingMs?: number
}

export interface BatchOutcome {
  saved: number
  failed: { image: ImageRecord; message: string }[]
  /** The edits this batch replaced, for an undo. */
  replaced: RemovedEdit[]
  /** Images this batch gave their first edit, for an undo. */
  added: string[]
  /** Whether the user stopped it; images not reached are untouched. */
  cancelled: boolean
  /** Set when storage ran out: the batch stopped there. */
  storageFull?: string
}

/**
 * Applies `copied` to each image as a new edited version (`pasteRecipe` keeps each image's own
 * redaction), `concurrency` at a time. Failures are listed and the batch goes on; full storage
 * or cancelling stops it, keeping what was saved.
 */
export async function applyToImages(
  db: SightlineDb,
  signal: AbortSignal,
  images: readonly ImageRecord[],
  copied: Recipe,
  render: RenderVersion,
  { concurrency = 2, onProgress = () => {} } = {} as {
    concurrency?: number
    onProgress?: (progress: BatchProgress) => void
  },
  now: () => number = () => performance.now(),
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { saved: 0, failed: [], replaced: [], added: [], cancelled: false }
  const started = now()
  let next = 0
  let done = 0
  const stop = new AbortController()
  const onAbort = () => stop.abort(signal.reason)
  signal.addEventListener('abort', onAbort)
  const report = () =>
    onProgress({
      done,
      total: images.length,
      failed: outcome.failed.length,
      remainingMs: remainingMs(now() - started, done, images.length),
    })

  async function one(image: ImageRecord) {
    try {
      const original = await getOriginal(db, image.id)
      if (!original) throw new Error('The original is not on this device.')
      const [previous, previousBlob] = await Promise.all([
        db.edits.get(image.id),
        db.edited.get(image.id),
      ])
      const recipe = pasteRecipe(previous?.operations ?? [{ op: 'auto-orient' }], copied)
      const rendered = await render(stop.signal, image, original, recipe)
      stop.signal.throwIfAborted()
      await saveEdit(db, image.id, recipe, rendered)
      if (previous) outcome.replaced.push({ record: previous, blob: previousBlob?.blob })
      else outcome.added.push(image.id)
      outcome.saved++
    } catch (err) {
      if (stop.signal.aborted) return
      const error = err as Error
      if (error.name === 'StorageFullError') {
        outcome.storageFull = error.message
        stop.abort(error)
        return
      }
      outcome.failed.push({ image, message: error.message })
    }
    done++
    report()
  }

  async function lane() {
    while (!stop.signal.aborted && next < images.length) await one(images[next++]!)
  }

  try {
    report()
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane))
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  outcome.cancelled = signal.aborted
  return outcome
}

/** Time left if the rest goes as fast as what is done; undefined before anything is done. */
export function remainingMs(elapsedMs: number, done: number, total: number): number | undefined {
  if (done === 0) return undefined
  return Math.round((elapsedMs / done) * (total - done))
}
