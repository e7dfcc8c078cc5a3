import type { OperationOf, Recipe } from '../../../../models/_transform/recipe'
import {
  isUnedited,
  isValidOrder,
  moveStep,
  rotateQuarter,
  toggleFlip,
  withRedaction,
} from './recipe-edits'

const redaction: OperationOf<'redact'> = { op: 'redact', style: 'pixelate', regions: [] }

describe(rotateQuarter, () => {
  it('folds quarter turns into one step and drops it at a full turn', () => {
    let recipe: Recipe = [{ op: 'auto-orient' }]
    recipe = rotateQuarter(recipe, 90)
    expect(recipe.at(-1)).toEqual({ op: 'rotate', degrees: 90, fill: 'black' })
    recipe = rotateQuarter(rotateQuarter(recipe, 90), 90)
    expect(recipe.at(-1)).toEqual({ op: 'rotate', degrees: -90, fill: 'black' })
    expect(rotateQuarter(recipe, 90)).toEqual([{ op: 'auto-orient' }])
  })

  it('adds a new step after a free-angle rotation', () => {
    const recipe: Recipe = [{ op: 'rotate', degrees: 3.5, fill: 'white' }]
    expect(rotateQuarter(recipe, -90)).toHaveLength(2)
  })
})

describe(toggleFlip, () => {
  it('undoes the same flip and stacks a different one', () => {
    const once = toggleFlip([], 'horizontal')
    expect(toggleFlip(once, 'horizontal')).toEqual([])
    expect(toggleFlip(once, 'vertical')).toHaveLength(2)
  })
})

describe(withRedaction, () => {
  it('puts the redaction after the auto-orient and before everything else', () => {
    const { recipe, index } = withRedaction(
      [{ op: 'auto-orient' }, { op: 'rotate', degrees: 90, fill: 'black' }],
      redaction,
    )
    expect(index).toBe(1)
    expect(recipe.map((step) => step.op)).toEqual(['auto-orient', 'redact', 'rotate'])
    expect(isValidOrder(recipe)).toBe(true)
  })

  it('replaces an earlier redaction', () => {
    const first = withRedaction([], redaction).recipe
    const second = withRedaction(first, { ...redaction, style: 'blur' }).recipe
    expect(second).toEqual([{ ...redaction, style: 'blur' }])
  })
})

describe(moveStep, () => {
  it('refuses to move a geometric step before the redaction', () => {
    const recipe: Recipe = [redaction, { op: 'crop', rect: { x: 0, y: 0, width: 0.5, height: 1 } }]
    expect(moveStep(recipe, 1, -1)).toBeNull()
    expect(moveStep(recipe, 0, 1)).toBeNull()
  })

  it('swaps neighbours otherwise, and not past either end', () => {
    const recipe: Recipe = [{ op: 'grayscale' }, { op: 'equalize' }]
    expect(moveStep(recipe, 0, 1)).toEqual([{ op: 'equalize' }, { op: 'grayscale' }])
    expect(moveStep(recipe, 0, -1)).toBeNull()
    expect(moveStep(recipe, 1, 1)).toBeNull()
  })
})

describe(isUnedited, () => {
  it('holds only for the auto-orient alone', () => {
    expect(isUnedited([{ op: 'auto-orient' }])).toBe(true)
    expect(isUnedited([])).toBe(false)
    expect(isUnedited([{ op: 'auto-orient' }, { op: 'grayscale' }])).toBe(false)
  })
})
