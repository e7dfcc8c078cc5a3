import { createReadStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { BlobStore } from './types'

/** Files under `dir/ab/cd/<sha256>`; two levels of fan-out keep directories small. */
export function createDiskStore(dir: string): BlobStore {
  const fileOf = (sha256: string) => path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  return {
    async put(sha256, file) {
      const target = fileOf(sha256)
      await mkdir(path.dirname(target), { recursive: true })
      // Same bytes under the same name: replacing an existing copy is harmless.
      await rename(file, target)
    },
    async get(sha256) {
      const file = fileOf(sha256)
      const info = await stat(file).catch(() => undefined)
      if (!info?.isFile()) return undefined
      const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>
      return { body, bytes: info.size }
    },
    async remove(sha256) {
      await rm(fileOf(sha256), { force: true })
    },
    async check() {
      await mkdir(dir, { recursive: true })
    },
  }
}
