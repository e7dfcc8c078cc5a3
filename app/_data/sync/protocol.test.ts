import { describe, expect, it } from 'vitest'
import { recipeData } from '../../../server/routes/record-data'
import type { EditRecord } from '../db'
import { dataToEdit, editToData, InvalidRecipeError, type RecipeData } from './protocol'

const imageId = '7d8f3a52-93a4-4c1e-9d0f-2b6f0c1d5e77'

/** An edit with one operation of most kinds, parameters of every type (numbers, enums, tuples). */
const edit: EditRecord = {
  imageId,
  operations: [
    {
      op: 'redact',
      style: 'pixelate',
      regions: [
        { kind: 'face', enabled: true, label: 'Face 1', x: 0.1, y: 0.2, width: 0.3, height: 0.25 },
        { kind: 'text', enabled: false, label: 'Invoice', x: 0.5, y: 0.6, width: 0.4, height: 0.1 },
      ],
    },
    { op: 'auto-orient' },
    { op: 'rotate', degrees: -90, fill: 'white' },
    { op: 'flip', axis: 'horizontal' },
    { op: 'crop', rect: { x: 0.05, y: 0, width: 0.9, height: 0.75 } },
    {
      op: 'perspective',
      corners: [
        [0.1, 0.05],
        [0.92, 0.08],
        [0.95, 0.97],
        [-0.02, 1.1],
      ],
    },
    { op: 'adjust', brightness: 12, contrast: -8, gamma: 1.4 },
    { op: 'threshold', blockSize: 31, offset: 10 },
  ],
  revision: 3,
  savedAt: 1_700_000_123_456,
  width: 1200,
  height: 900,
  mime: 'image/jpeg',
}

/** What the other device gets: the JSON text the gateway stores, parsed again. */
const overTheWire = (data: RecipeData) => JSON.parse(JSON.stringify(data)) as RecipeData

describe(editToData, () => {
  it("sends each operation as { op, params }, which the gateway's schema accepts as is", () => {
    const data = editToData(edit, { edited: 'a'.repeat(64) })
    expect(data.operations[2]).toEqual({ op: 'rotate', params: { degrees: -90, fill: 'white' } })
    expect(data.operations[1]).toEqual({ op: 'auto-orient', params: {} })
    expect(data.operations.every((operation) => !('degrees' in operation))).toBe(true)
    const checked = recipeData.parse(overTheWire(data))
    expect(checked).toEqual(data)
    expect(data.files).toEqual({ edited: 'a'.repeat(64) })
  })
})

describe(dataToEdit, () => {
  it('gives back the edit that was sent, operations flat again', () => {
    const back = dataToEdit(imageId, overTheWire(editToData(edit, {})))
    expect(back).toEqual(edit)
    expect(back).not.toHaveProperty('files')
  })

  it('fills in the defaults of parameters a sender left out', () => {
    const data = overTheWire(editToData(edit, {}))
    data.operations = [{ op: 'rotate', params: { degrees: 90 } }]
    expect(dataToEdit(imageId, data).operations).toEqual([
      { op: 'rotate', degrees: 90, fill: 'black' },
    ])
  })

  it.each([
    ['an unknown operation', [{ op: 'vignette', params: { amount: 1 } }]],
    ['a parameter out of range', [{ op: 'rotate', params: { degrees: 720 } }]],
    ['a missing parameter', [{ op: 'flip', params: {} }]],
    ['too many operations', Array.from({ length: 101 }, () => ({ op: 'grayscale', params: {} }))],
  ])('refuses a recipe with %s', (_, operations) => {
    const data = { ...overTheWire(editToData(edit, {})), operations }
    expect(() => dataToEdit(imageId, data)).toThrow(InvalidRecipeError)
  })

  it('refuses a recipe that names another image than its id', () => {
    const data = overTheWire(editToData(edit, {}))
    expect(() => dataToEdit('00000000-0000-4000-8000-000000000000', data)).toThrow(
      InvalidRecipeError,
    )
  })
})
