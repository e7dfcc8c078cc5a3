import { buildAnalysisExport, toJsonValue } from './analysis-export'
import type { ImageRecord, ResultRecord } from '../_data/db'

const image = {
  id: 'i',
  hash: 'ab'.repeat(32),
  name: 'dog.jpg',
  width: 768,
  height: 576,
} as ImageRecord

describe(buildAnalysisExport, () => {
  it('lists each image with its hash and every task result under the task id', () => {
    const result = {
      imageId: 'i',
      task: 'object-detection',
      version: '1.0.0',
      provider: 'wasm',
      threads: 2,
      durationMs: 80,
      createdAt: Date.UTC(2026, 0, 2),
      imageSize: { width: 768, height: 576 },
      source: 'original',
      output: { objects: [{ label: 'dog', score: 0.9 }], tags: ['dog'] },
    } as unknown as ResultRecord
    const doc = buildAnalysisExport([{ image, results: [result] }], new Date(Date.UTC(2026, 0, 3)))
    expect(doc.format).toBe('sightline-analysis')
    expect(doc.formatVersion).toBe(1)
    expect(doc.exportedAt).toBe('2026-01-03T00:00:00.000Z')
    expect(doc.images[0]).toMatchObject({ name: 'dog.jpg', sha256: image.hash, width: 768 })
    expect(doc.images[0]?.results['object-detection']).toMatchObject({
      provider: 'wasm',
      createdAt: '2026-01-02T00:00:00.000Z',
      output: { tags: ['dog'] },
    })
  })
})

describe(toJsonValue, () => {
  it('turns byte masks into base64 and other typed arrays into plain arrays', () => {
    const value = toJsonValue({
      mask: { data: new Uint8Array([0, 255, 7]) },
      f: new Float32Array([0.5]),
    })
    expect(value).toEqual({ mask: { data: { encoding: 'base64', bytes: 'AP8H' } }, f: [0.5] })
    expect(JSON.parse(JSON.stringify(value))).toEqual(value)
  })
})
