import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

/** Partial uploads on local disk, written chunk by chunk at known offsets. */
export function createStaging(dir: string) {
  const fileOf = (uploadId: string) => path.join(dir, `${uploadId}.part`)
  return {
    fileOf,

    /**
     * Writes `body` at `offset` and flushes it to disk; returns the bytes written. Stops with
     * `TooLargeError` past `maxBytes`, leaving the earlier bytes as they were counted.
     */
    async write(
      uploadId: string,
      offset: number,
      body: ReadableStream<Uint8Array>,
      maxBytes: number,
    ): Promise<number> {
      await mkdir(dir, { recursive: true })
      const handle = await open(fileOf(uploadId), offset === 0 ? 'w' : 'r+').catch(
        async (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return open(fileOf(uploadId), 'w')
          throw error
        },
      )
      const reader = body.getReader()
      let written = 0
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          if (written + value.byteLength > maxBytes) throw new ChunkTooLargeError(maxBytes)
          await handle.write(value, 0, value.byteLength, offset + written)
          written += value.byteLength
        }
        await handle.sync()
      } finally {
        reader.releaseLock()
        await handle.close()
      }
      return written
    },

    /** SHA-256 (hex) of the first `bytes` bytes of the staged file. */
    async hash(uploadId: string, bytes: number): Promise<string> {
      const hash = createHash('sha256')
      if (bytes > 0) await pipeline(createReadStream(fileOf(uploadId), { end: bytes - 1 }), hash)
      return hash.digest('hex')
    },

    async truncateTo(uploadId: string, bytes: number): Promise<void> {
      const info = await stat(fileOf(uploadId)).catch(() => undefined)
      if (!info) {
        // Nothing staged (an empty file): the folder may not exist yet either.
        await mkdir(dir, { recursive: true })
        const handle = await open(fileOf(uploadId), 'w')
        await handle.close()
      } else if (info.size > bytes) {
        const handle = await open(fileOf(uploadId), 'r+')
        try {
          await handle.truncate(bytes)
        } finally {
          await handle.close()
        }
      }
    },

    async remove(uploadId: string): Promise<void> {
      await rm(fileOf(uploadId), { force: true })
    },
  }
}

export type Staging = ReturnType<typeof createStaging>

/** A chunk longer than allowed (the chunk limit, or what is left of the declared size). */
export class ChunkTooLargeError extends Error {
  override readonly name = 'ChunkTooLargeError'
  constructor(readonly maxBytes: number) {
    super(`The chunk is larger than the ${maxBytes} bytes allowed here`)
  }
}
