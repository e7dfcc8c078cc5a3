import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { StorageFullError } from '../../models/errors'
import type { Recipe } from '../../models/_transform/recipe'
import { createDb, type SightlineDb } from './db'
import { getEdit, getEditedBlob, removeEdits, restoreEdits, saveEdit } from './edits'

const opened: SightlineDb[] = []
function freshDb() {
  const db = createDb(`edits-test-${crypto.randomUUID()}`)
  opened.push(db)
  return db
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()))
})

const recipe: Recipe = [{ op: 'auto-orient' }, { op: 'grayscale' }]
const rendered = (text: string, type = 'image/jpeg') => ({
  blob: new Blob([text], { type }),
  width: 40,
  height: 30,
})
const text = async (blob: Blob | undefined) =>
  blob && new TextDecoder().decode(await blob.arrayBuffer())

describe(saveEdit, () => {
  it('stores the recipe and its rendering as the next revision', async () => {
    const db = freshDb()
    expect((await saveEdit(db, 'a', recipe, rendered('one'), 10)).revision).toBe(1)
    const second = await saveEdit(db, 'a', recipe.slice(0, 1), rendered('two', 'image/png'), 20)
    expect(second).toEqual({
      imageId: 'a',
      operations: [{ op: 'auto-orient' }],
      revision: 2,
      savedAt: 20,
      width: 40,
      height: 30,
      mime: 'image/png',
    })
    expect(await getEdit(db, 'a')).toEqual(second)
    expect(await text(await getEditedBlob(db, 'a'))).toBe('two')
  })

  it('keeps the previous version when storage is full', async () => {
    const db = freshDb()
    const full = { on: false }
    // The browser refuses the rendering's write, as it does when storage is full.
    db.use({
      stack: 'dbcore',
      name: 'full',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name)
          if (name !== 'edited') return table
          return {
            ...table,
            mutate: (request) =>
              full.on
                ? Promise.reject(
                    new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
                  )
                : table.mutate(request),
          }
        },
      }),
    })
    await saveEdit(db, 'a', recipe, rendered('one'))
    full.on = true
    await expect(saveEdit(db, 'a', [], rendered('two'))).rejects.toBeInstanceOf(StorageFullError)
    full.on = false
    expect((await getEdit(db, 'a'))?.revision).toBe(1)
    expect(await text(await getEditedBlob(db, 'a'))).toBe('one')
  })
})

describe(removeEdits, () => {
  it('takes edits away and an undo puts them back as they were', async () => {
    const db = freshDb()
    await saveEdit(db, 'a', recipe, rendered('one'), 10)
    const removed = await removeEdits(db, ['a', 'never-edited'])
    expect(removed).toHaveLength(1)
    expect(await getEdit(db, 'a')).toBeUndefined()
    expect(await getEditedBlob(db, 'a')).toBeUndefined()

    await restoreEdits(db, removed)
    expect((await getEdit(db, 'a'))?.savedAt).toBe(10)
    expect(await text(await getEditedBlob(db, 'a'))).toBe('one')
  })
})
