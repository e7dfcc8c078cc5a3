import type { z } from 'zod'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { ExifSummary } from '../../../workers/import-client'
import type { EditRecord, ImageRecord, ResultRecord } from '../db'
import type { editRecordSchema, exifSchema, imageRecordSchema, resultRecordSchema } from './format'
import { backupFileName, fromBackupJson, toBackupJson } from './format'

describe(toBackupJson, () => {
  it('keeps typed arrays, non-finite numbers and −0 through JSON', () => {
    const value = {
      mask: { width: 2, height: 2, data: new Uint8Array([0, 128, 255, 7]) },
      floats: new Float32Array([0.5, -1.25, Number.NaN]),
      view: new Uint16Array(new Uint8Array([1, 2, 3, 4, 5, 6]).buffer, 2, 2),
      numbers: [Number.NaN, Infinity, -Infinity, -0, 0, 1.5],
      nested: [{ deeper: new Int32Array([-1, 2 ** 31 - 1]) }],
      text: 'plain',
      none: null,
    }
    const back = fromBackupJson(toBackupJson(value)) as typeof value

    expect(back).toEqual(value)
    expect(back.mask.data).toBeInstanceOf(Uint8Array)
    expect(back.floats).toBeInstanceOf(Float32Array)
    expect(Array.from(back.view)).toEqual(Array.from(value.view))
    expect(Object.is(back.numbers[3], -0)).toBe(true)
    expect(Object.is(back.numbers[4], 0)).toBe(true)
  })

  it('writes plain JSON that other tools can read', () => {
    expect(JSON.parse(toBackupJson({ data: new Uint8Array([1, 2, 3]), n: Number.NaN }))).toEqual({
      data: { $typedArray: 'Uint8Array', base64: 'AQID' },
      n: { $number: 'NaN' },
    })
  })

  it('refuses bytes that cannot fill the typed array', () => {
    expect(() => fromBackupJson('{"$typedArray":"Float32Array","base64":"AQID"}')).toThrow(
      SyntaxError,
    )
  })
})

describe(backupFileName, () => {
  it('names the file after the local date', () => {
    expect(backupFileName(new Date(2025, 0, 9, 23, 59))).toBe('sightline-library-2025-01-09.zip')
  })
})

// A field added to a record must be added to the backup too, or backups would silently drop it.
describe('backup schemas', () => {
  it('cover every field of the records they restore', () => {
    expectTypeOf<keyof z.output<typeof imageRecordSchema>>().toEqualTypeOf<keyof ImageRecord>()
    expectTypeOf<keyof z.output<typeof exifSchema>>().toEqualTypeOf<keyof ExifSummary>()
    expectTypeOf<keyof z.output<typeof resultRecordSchema>>().toEqualTypeOf<keyof ResultRecord>()
    expectTypeOf<keyof z.output<typeof editRecordSchema>>().toEqualTypeOf<keyof EditRecord>()
    expectTypeOf<z.output<typeof imageRecordSchema>>().toExtend<ImageRecord>()
    expectTypeOf<z.output<typeof editRecordSchema>>().toExtend<EditRecord>()
  })
})
