import type { Recipe } from '../../models/_transform/recipe'
import { copyRecipe, pasteRecipe, readCopiedRecipe, transferable } from './recipe-clipboard'

class MemoryStorage implements Storage {
  private items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  clear = () => this.items.clear()
  getItem = (key: string) => this.items.get(key) ?? null
  key = (index: number) => [...this.items.keys()][index] ?? null
  removeItem = (key: string) => void this.items.delete(key)
  setItem = (key: string, value: string) => void this.items.set(key, value)
}

const redact: Recipe[number] = {
  op: 'redact',
  style: 'blur',
  regions: [
    { x: 0.1, y: 0.1, width: 0.2, height: 0.2, kind: 'face', enabled: true, label: 'Face 1' },
  ],
}
const page: Recipe[number] = {
  op: 'perspective',
  corners: [
    [0.1, 0.1],
    [0.9, 0.1],
    [0.9, 0.9],
    [0.1, 0.9],
  ],
}
const edits: Recipe = [
  { op: 'auto-orient' },
  { op: 'rotate', degrees: 90, fill: 'black' },
  { op: 'clahe', clipLimit: 2, tiles: 8 },
]

describe(transferable, () => {
  it('leaves out the steps tied to one image', () => {
    expect(transferable([edits[0]!, redact, page, ...edits.slice(1)])).toEqual(edits)
  })
})

describe(copyRecipe, () => {
  it('keeps a copy that reads back', () => {
    const storage = new MemoryStorage()
    copyRecipe([...edits, redact], storage)
    expect(readCopiedRecipe(storage)).toEqual(edits)
  })

  it('reads nothing when nothing or something invalid was copied', () => {
    const storage = new MemoryStorage()
    expect(readCopiedRecipe(storage)).toBeNull()
    storage.setItem('sightline.copied-recipe', '{not json')
    expect(readCopiedRecipe(storage)).toBeNull()
    storage.setItem('sightline.copied-recipe', JSON.stringify([{ op: 'explode' }]))
    expect(readCopiedRecipe(storage)).toBeNull()
  })
})

describe(pasteRecipe, () => {
  it('replaces the steps of an image without a redaction', () => {
    expect(pasteRecipe([{ op: 'auto-orient' }, page, { op: 'grayscale' }], edits)).toEqual(edits)
  })

  it("keeps the image's own redaction first", () => {
    expect(pasteRecipe([{ op: 'auto-orient' }, redact, { op: 'grayscale' }], edits)).toEqual([
      { op: 'auto-orient' },
      redact,
      ...edits.slice(1),
    ])
  })
})
