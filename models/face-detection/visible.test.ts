import { isShownFace } from './visible'

describe(isShownFace, () => {
  it('shows a face above the floor whose mesh confirms it', () => {
    expect(isShownFace({ score: 0.8, meshScore: 0.99 }, 0.75)).toBe(true)
  })

  it('hides a face below the floor', () => {
    expect(isShownFace({ score: 0.7, meshScore: 0.99 }, 0.75)).toBe(false)
  })

  it('hides a detection FaceMesh finds no face in', () => {
    expect(isShownFace({ score: 0.78, meshScore: 0.0015 }, 0.75)).toBe(false)
  })

  it('judges by the detector alone when the mesh did not run', () => {
    expect(isShownFace({ score: 0.8 }, 0.75)).toBe(true)
  })
})
