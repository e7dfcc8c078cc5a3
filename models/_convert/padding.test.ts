import { convTransposePadding, tfPadding, windowOutSize } from './padding'

describe(tfPadding, () => {
  it('pads SAME to ceil(in / stride) outputs with the odd pixel after', () => {
    expect(tfPadding('SAME', 256, 3, 2)).toEqual([0, 1])
    expect(tfPadding('SAME', 5, 3, 2)).toEqual([1, 1])
    expect(tfPadding('SAME', 8, 4, 1)).toEqual([1, 2])
    expect(tfPadding('SAME', 7, 3, 1, 2)).toEqual([2, 2])
    expect(tfPadding('SAME', 6, 1, 2)).toEqual([0, 0])
  })

  it('never pads VALID and passes EXPLICIT through', () => {
    expect(tfPadding('VALID', 9, 3, 2)).toEqual([0, 0])
    expect(tfPadding('EXPLICIT', 9, 3, 2, 1, [2, 1])).toEqual([2, 1])
  })

  it('refuses SAME on an unknown size', () => {
    expect(() => tfPadding('SAME', -1, 3, 2)).toThrow(/static spatial size/)
  })
})

describe(windowOutSize, () => {
  it('counts windows like TF', () => {
    expect(windowOutSize(256, 3, 2, 1, [0, 1])).toBe(128)
    expect(windowOutSize(9, 3, 2, 1, [0, 0])).toBe(4)
    expect(windowOutSize(9, 3, 1, 2, [0, 0])).toBe(5)
    expect(windowOutSize(-1, 3, 1, 1, [1, 1])).toBe(-1)
  })
})

describe(convTransposePadding, () => {
  it('crops the forward SAME padding from the transposed output', () => {
    // Forward SAME from 256 with k3 s2 pads [0, 1]; the full transposed output is 2·127 + 3 = 257.
    expect(convTransposePadding('SAME', 256, 128, 3, 2)).toEqual({ pads: [0, 1], outputPadding: 0 })
    expect(convTransposePadding('SAME', 256, 128, 4, 2)).toEqual({ pads: [1, 1], outputPadding: 0 })
    expect(convTransposePadding('SAME', 9, 5, 3, 2)).toEqual({ pads: [1, 1], outputPadding: 0 })
  })

  it('adds the rows a VALID forward window never reached as output padding', () => {
    expect(convTransposePadding('VALID', 10, 4, 3, 2)).toEqual({ pads: [0, 0], outputPadding: 1 })
  })

  it('refuses sizes no forward convolution links', () => {
    expect(() => convTransposePadding('VALID', 20, 4, 3, 2)).toThrow(/inconsistent/)
  })
})
