import {
  geometricOperations,
  type Operation,
  type OperationOf,
  type Recipe,
} from '../../../../models/_transform/recipe'

/** What a new edit starts from: the original, upright as the library shows it. */
export const defaultRecipe: Recipe = [{ op: 'auto-orient' }]

/** Whether `recipe` renders the original as the library shows it. */
export function isUnedited(recipe: Recipe): boolean {
  return recipe.length === 1 && recipe[0]!.op === 'auto-orient'
}

/**
 * Whether the steps are in an order that can render: a redaction's regions are in the upright
 * original's coordinates, so nothing that moves pixels may come before it.
 */
export function isValidOrder(recipe: Recipe): boolean {
  const redactAt = recipe.findIndex((operation) => operation.op === 'redact')
  if (redactAt < 0) return true
  return recipe.slice(0, redactAt).every((operation) => !geometricOperations.has(operation.op))
}

/** `recipe` with step `index` moved by one place, or null when that order could not render. */
export function moveStep(recipe: Recipe, index: number, by: -1 | 1): Recipe | null {
  const to = index + by
  if (to < 0 || to >= recipe.length) return null
  const next = [...recipe]
  ;[next[index], next[to]] = [next[to]!, next[index]!]
  return isValidOrder(next) ? next : null
}

export function removeStep(recipe: Recipe, index: number): Recipe {
  return recipe.filter((_, i) => i !== index)
}

export function replaceStep(recipe: Recipe, index: number, operation: Operation): Recipe {
  return recipe.map((step, i) => (i === index ? operation : step))
}

/** Sets the redaction, replacing any earlier one, first after the auto-orient; returns its index. */
export function withRedaction(
  recipe: Recipe,
  redaction: OperationOf<'redact'>,
): { recipe: Recipe; index: number } {
  const rest = recipe.filter((operation) => operation.op !== 'redact')
  let index = 0
  while (rest[index]?.op === 'auto-orient') index++
  return { recipe: [...rest.slice(0, index), redaction, ...rest.slice(index)], index }
}

/**
 * A quarter turn: folded into a last step that is already a quarter-turn rotation, so pressing
 * "rotate" four times comes back to no rotation at all.
 */
export function rotateQuarter(recipe: Recipe, by: 90 | -90): Recipe {
  const last = recipe.at(-1)
  if (last?.op === 'rotate' && last.degrees % 90 === 0) {
    const degrees = normaliseDegrees(last.degrees + by)
    return degrees === 0 ? recipe.slice(0, -1) : [...recipe.slice(0, -1), { ...last, degrees }]
  }
  return [...recipe, { op: 'rotate', degrees: by, fill: 'black' }]
}

/** A flip, or the last step taken away when it is the same flip. */
export function toggleFlip(recipe: Recipe, axis: 'horizontal' | 'vertical'): Recipe {
  const last = recipe.at(-1)
  if (last?.op === 'flip' && last.axis === axis) return recipe.slice(0, -1)
  return [...recipe, { op: 'flip', axis }]
}

/** Degrees in (−180, 180]. */
function normaliseDegrees(degrees: number): number {
  const d = ((degrees % 360) + 360) % 360
  return d > 180 ? d - 360 : d
}
