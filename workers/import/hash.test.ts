import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { sha256Hex } from './hash'

const bytes = Uint8Array.from(readFileSync(new URL('../../fixtures/rocket.jpg', import.meta.url)))
const expected = createHash('sha256').update(bytes).digest('hex')

describe(sha256Hex, () => {
  it('matches Node crypto for bytes', async () => {
    await expect(sha256Hex(bytes)).resolves.toBe(expected)
  })

  it('matches Node crypto for a Blob and an ArrayBuffer', async () => {
    await expect(sha256Hex(new Blob([bytes]))).resolves.toBe(expected)
    await expect(sha256Hex(bytes.slice().buffer)).resolves.toBe(expected)
  })

  it('hashes an empty input to the well-known empty digest', async () => {
    await expect(sha256Hex(new Uint8Array())).resolves.toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })
})
