import { emptySelection, select, type Selection } from './selection'

const order = ['a', 'b', 'c', 'd', 'e']
const click = (state: Selection, id: string, mods: { shift?: boolean; toggle?: boolean } = {}) =>
  select(state, { type: 'click', id, shift: !!mods.shift, toggle: !!mods.toggle, order })
const ids = (s: Selection) => [...s.ids].sort()

describe(select, () => {
  it('selects only the clicked item on a plain click', () => {
    const s = click(click(emptySelection, 'a'), 'c')
    expect(ids(s)).toEqual(['c'])
    expect(s.anchor).toBe('c')
  })

  it('toggles one item with ctrl or cmd held', () => {
    let s = click(emptySelection, 'a')
    s = click(s, 'c', { toggle: true })
    expect(ids(s)).toEqual(['a', 'c'])
    s = click(s, 'a', { toggle: true })
    expect(ids(s)).toEqual(['c'])
  })

  it('selects the range from the anchor on shift-click, in either direction', () => {
    expect(ids(click(click(emptySelection, 'b'), 'd', { shift: true }))).toEqual(['b', 'c', 'd'])
    expect(ids(click(click(emptySelection, 'd'), 'a', { shift: true }))).toEqual([
      'a',
      'b',
      'c',
      'd',
    ])
  })

  it('keeps the anchor across shift-clicks so the range can shrink', () => {
    let s = click(emptySelection, 'b')
    s = click(s, 'e', { shift: true })
    s = click(s, 'c', { shift: true })
    expect(ids(s)).toEqual(['b', 'c'])
  })

  it('adds a range to the selection with shift and ctrl held', () => {
    let s = click(emptySelection, 'a')
    s = click(s, 'c', { toggle: true })
    s = click(s, 'e', { shift: true, toggle: true })
    expect(ids(s)).toEqual(['a', 'c', 'd', 'e'])
  })

  it('selects everything shown and clears', () => {
    const all = select(emptySelection, { type: 'all', order })
    expect(ids(all)).toEqual(order)
    expect(select(all, { type: 'clear' }).ids.size).toBe(0)
  })

  it('drops ids that are no longer shown', () => {
    const all = select(emptySelection, { type: 'all', order })
    expect(ids(select(all, { type: 'retain', order: ['b', 'x'] }))).toEqual(['b'])
  })

  it('returns the same state when retain changes nothing', () => {
    const s = click(emptySelection, 'a')
    expect(select(s, { type: 'retain', order })).toBe(s)
  })
})
