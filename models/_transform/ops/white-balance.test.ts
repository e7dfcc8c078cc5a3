import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import {
  channelMeans,
  channelSpread,
  isOpaque,
  leaksMemory,
  loadPhoto,
  mapRgb,
  maxAbsDiff,
  meanAbsDiff,
  runOperation,
} from './test-helpers'
import { whiteBalance } from './white-balance'

let cv: OpenCv
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
})

const balance = (image: Parameters<typeof runOperation>[2]) =>
  runOperation(cv, whiteBalance, image, { op: 'white-balance' })

describe(whiteBalance, () => {
  it.each(['chelsea.png', 'horses.jpg'])(
    'evens out the channel means of %s after a warm cast',
    async (name) => {
      const photo = await loadPhoto(name)
      const warm = mapRgb(photo, (r, g, b) => [r * 1.2, g, b * 0.8])
      expect(channelSpread(warm)).toBeGreaterThan(30)
      const balanced = balance(warm)
      expect(channelSpread(balanced)).toBeLessThan(1)
      expect(isOpaque(balanced)).toBe(true)
    },
  )

  it('takes a colour cast off a grey photo', async () => {
    // The gains average 1, so grey world's target level is the photo's own mean.
    const photo = await loadPhoto('camera.png')
    const cast = mapRgb(photo, (r, g, b) => [r * 1.1, g, b * 0.9])
    expect(meanAbsDiff(cast, photo)).toBeGreaterThan(8)
    expect(meanAbsDiff(balance(cast), photo)).toBeLessThan(0.5)
  })

  it('leaves a neutral photo unchanged', async () => {
    const photo = await loadPhoto('camera.png')
    expect(maxAbsDiff(balance(photo), photo)).toBe(0)
  })

  it('moves a balanced photo by at most a level', async () => {
    const once = balance(await loadPhoto('horses.jpg'))
    const means = channelMeans(once)
    expect(Math.max(...means) - Math.min(...means)).toBeLessThan(3)
    expect(maxAbsDiff(balance(once), once)).toBeLessThanOrEqual(2)
  })

  it('frees the Mats it allocates', async () => {
    const photo = await loadPhoto('chelsea.png', 256)
    expect(
      leaksMemory(cv, () => runOperation(cv, whiteBalance, photo, { op: 'white-balance' })),
    ).toBe(false)
  })
})
