/** Multi-selection over an ordered list of ids, as in a file manager. */
export interface Selection {
  readonly ids: ReadonlySet<string>
  /** The id a shift-click range starts from. */
  readonly anchor?: string
}

export const emptySelection: Selection = { ids: new Set() }

export type SelectAction =
  | { type: 'click'; id: string; shift: boolean; toggle: boolean; order: readonly string[] }
  | { type: 'toggle'; id: string }
  | { type: 'all'; order: readonly string[] }
  | { type: 'clear' }
  /** Drops ids that are no longer shown (deleted or filtered out). */
  | { type: 'retain'; order: readonly string[] }

/**
 * Plain click selects one; Ctrl/Cmd-click toggles one; Shift-click selects the range from the
 * anchor (adding to the selection when combined with Ctrl/Cmd).
 */
export function select(state: Selection, action: SelectAction): Selection {
  switch (action.type) {
    case 'click': {
      const { id, shift, toggle, order } = action
      if (shift && state.anchor !== undefined) {
        const from = order.indexOf(state.anchor)
        const to = order.indexOf(id)
        if (from !== -1 && to !== -1) {
          const [lo, hi] = from < to ? [from, to] : [to, from]
          const ids = new Set(toggle ? state.ids : [])
          for (let i = lo; i <= hi; i++) ids.add(order[i]!)
          return { ids, anchor: state.anchor }
        }
      }
      if (toggle) return toggled(state, id)
      return { ids: new Set([id]), anchor: id }
    }
    case 'toggle':
      return toggled(state, action.id)
    case 'all':
      return { ids: new Set(action.order), anchor: state.anchor }
    case 'clear':
      return emptySelection
    case 'retain': {
      const shown = new Set(action.order)
      const ids = new Set([...state.ids].filter((id) => shown.has(id)))
      if (ids.size === state.ids.size) return state
      const anchor =
        state.anchor !== undefined && shown.has(state.anchor) ? state.anchor : undefined
      return anchor === undefined ? { ids } : { ids, anchor }
    }
  }
}

function toggled(state: Selection, id: string): Selection {
  const ids = new Set(state.ids)
  if (ids.has(id)) ids.delete(id)
  else ids.add(id)
  return { ids, anchor: id }
}
