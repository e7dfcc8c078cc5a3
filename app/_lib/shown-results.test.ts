import type { ResultOf } from '../../models'
import { shownFaces, shownLines, shownObjects } from './shown-results'

const box = { x: 0, y: 0, width: 1, height: 1 }

describe(shownObjects, () => {
  it('keeps objects at or above the floor with their index in the stored result', () => {
    const output = {
      objects: [
        { label: 'dog', score: 0.3, box },
        { label: 'bicycle', score: 0.6, box },
      ],
      tags: [],
    } as unknown as ResultOf<'object-detection'>
    expect(shownObjects(output, 0.5)).toEqual([{ item: output.objects[1], index: 1 }])
    expect(shownObjects(output, 0.3)).toHaveLength(2)
  })
})

describe(shownFaces, () => {
  it('hides a detection FaceMesh does not confirm', () => {
    const output = {
      faces: [
        { box, score: 0.78, keypoints: [], meshScore: 0.0015 },
        { box, score: 0.9, keypoints: [], meshScore: 0.99 },
      ],
    } as unknown as ResultOf<'face-detection'>
    expect(shownFaces(output, 0.75).map((f) => f.index)).toEqual([1])
  })
})

describe(shownLines, () => {
  it('filters text lines by recognition score', () => {
    const output = {
      lines: [{ score: 0.4 }, { score: 0.95 }],
      text: '',
    } as unknown as ResultOf<'text-recognition'>
    expect(shownLines(output, 0.5).map((l) => l.index)).toEqual([1])
  })
})
