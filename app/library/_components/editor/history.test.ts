import type { Recipe } from '../../../../models/_transform/recipe'
import { createHistory, history, maxHistory } from './history'

const rotate = (degrees: number): Recipe => [{ op: 'rotate', degrees, fill: 'black' }]

describe(history, () => {
  it('undoes and redoes committed steps in order', () => {
    let state = createHistory([])
    state = history(state, { type: 'set', recipe: rotate(90) })
    state = history(state, { type: 'set', recipe: rotate(180) })
    state = history(state, { type: 'undo' })
    expect(state.present).toEqual(rotate(90))
    state = history(state, { type: 'undo' })
    expect(state.present).toEqual([])
    expect(history(state, { type: 'undo' }).present).toEqual([])
    state = history(state, { type: 'redo' })
    state = history(state, { type: 'redo' })
    expect(state.present).toEqual(rotate(180))
  })

  it('makes a whole drag one undo step', () => {
    let state = createHistory(rotate(0))
    for (const degrees of [1, 2, 3, 4]) {
      state = history(state, { type: 'set', recipe: rotate(degrees), commit: false })
    }
    state = history(state, { type: 'commit' })
    expect(state.past).toEqual([rotate(0)])
    expect(history(state, { type: 'undo' }).present).toEqual(rotate(0))
  })

  it('undoes a drag that was never committed back to where it started', () => {
    let state = createHistory(rotate(0))
    state = history(state, { type: 'set', recipe: rotate(7), commit: false })
    state = history(state, { type: 'undo' })
    expect(state.present).toEqual(rotate(0))
    expect(state.future).toEqual([rotate(7)])
  })

  it('drops the redo stack when a new step is made', () => {
    let state = createHistory([])
    state = history(state, { type: 'set', recipe: rotate(90) })
    state = history(state, { type: 'undo' })
    state = history(state, { type: 'set', recipe: rotate(270) })
    expect(state.future).toEqual([])
    expect(history(state, { type: 'redo' }).present).toEqual(rotate(270))
  })

  it('records no step for a change back to the same recipe', () => {
    let state = createHistory(rotate(90))
    state = history(state, { type: 'set', recipe: rotate(90) })
    expect(state.past).toEqual([])
  })

  it('makes a reset undoable', () => {
    let state = createHistory(rotate(90))
    state = history(state, { type: 'reset', recipe: [] })
    expect(state.present).toEqual([])
    expect(history(state, { type: 'undo' }).present).toEqual(rotate(90))
  })

  it(`keeps at most ${maxHistory} undo steps`, () => {
    let state = createHistory(rotate(0))
    for (let i = 1; i <= maxHistory + 20; i++) {
      state = history(state, { type: 'set', recipe: rotate(i % 360) })
    }
    expect(state.past).toHaveLength(maxHistory)
  })
})
