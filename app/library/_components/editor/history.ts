import type { Recipe } from '../../../../models/_transform/recipe'

/** The editor's recipe with its undo and redo stacks. */
export interface History {
  past: Recipe[]
  present: Recipe
  future: Recipe[]
  /**
   * The recipe before an uncommitted change (a slider being dragged): the change becomes one
   * undo step when committed.
   */
  pending?: Recipe
}

export type HistoryAction =
  /** `commit` false: a change in progress (drag); true or absent: one undoable step. */
  | { type: 'set'; recipe: Recipe; commit?: boolean }
  | { type: 'commit' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset'; recipe: Recipe }

/** Most undo steps kept. */
export const maxHistory = 200

export function createHistory(recipe: Recipe): History {
  return { past: [], present: recipe, future: [] }
}

/** The reducer behind undo, redo and reset; a reset is undoable too. */
export function history(state: History, action: HistoryAction): History {
  switch (action.type) {
    case 'set': {
      if (action.commit === false) {
        return { ...state, present: action.recipe, pending: state.pending ?? state.present }
      }
      const before = state.pending ?? state.present
      if (sameRecipe(before, action.recipe)) {
        return { ...state, present: action.recipe, pending: undefined }
      }
      return {
        past: [...state.past, before].slice(-maxHistory),
        present: action.recipe,
        future: [],
      }
    }
    case 'commit':
      if (!state.pending) return state
      return history(state, { type: 'set', recipe: state.present })
    case 'undo': {
      const settled = history(state, { type: 'commit' })
      const previous = settled.past.at(-1)
      if (!previous) return settled
      return {
        past: settled.past.slice(0, -1),
        present: previous,
        future: [settled.present, ...settled.future],
      }
    }
    case 'redo': {
      const settled = history(state, { type: 'commit' })
      const [next, ...rest] = settled.future
      if (!next) return settled
      return { past: [...settled.past, settled.present], present: next, future: rest }
    }
    case 'reset':
      return history(state, { type: 'set', recipe: action.recipe })
  }
}

export function sameRecipe(a: Recipe, b: Recipe): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}
