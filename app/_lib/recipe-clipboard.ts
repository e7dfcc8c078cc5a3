import { recipeSchema, type Operation, type Recipe } from '../../models/_transform/recipe'

const storageKey = 'sightline.copied-recipe'

/** Operations tied to one image's content: a page's corners, a face's position. */
const imageSpecific = new Set<Operation['op']>(['perspective', 'redact'])

/** The part of `recipe` that makes sense on other images. */
export function transferable(recipe: Recipe): Recipe {
  return recipe.filter((operation) => !imageSpecific.has(operation.op))
}

/** Keeps the transferable part of `recipe` for pasting onto other images; returns it. */
export function copyRecipe(recipe: Recipe, storage: Storage = localStorage): Recipe {
  const copied = transferable(recipe)
  storage.setItem(storageKey, JSON.stringify(copied))
  return copied
}

/** The copied recipe, or null when nothing (valid) was copied. */
export function readCopiedRecipe(storage: Storage = localStorage): Recipe | null {
  const text = storage.getItem(storageKey)
  if (!text) return null
  try {
    const parsed = recipeSchema.safeParse(JSON.parse(text))
    return parsed.success && parsed.data.length > 0 ? parsed.data : null
  } catch {
    return null // written by a broken or older version: as if nothing was copied
  }
}

/**
 * `copied` applied to an image whose own recipe is `target`: the copied steps replace the
 * target's, except a redaction (with the auto-orient before it), which stays first.
 */
export function pasteRecipe(target: Recipe, copied: Recipe): Recipe {
  const redactAt = target.findIndex((operation) => operation.op === 'redact')
  if (redactAt < 0) return copied
  return [
    ...target.slice(0, redactAt + 1),
    ...copied.filter((operation) => operation.op !== 'auto-orient'),
  ]
}
