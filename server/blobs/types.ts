/** Where verified image files live, addressed by the SHA-256 of their bytes. */
export interface BlobStore {
  /** Takes ownership of the verified file at `file` (moved or deleted once stored; left on failure). */
  put(sha256: string, file: string, bytes: number): Promise<void>
  /** The file's bytes as a stream, or undefined when it is not stored. */
  get(sha256: string): Promise<{ body: ReadableStream<Uint8Array>; bytes: number } | undefined>
  remove(sha256: string): Promise<void>
  /** Whether the store answers (readiness). */
  check(): Promise<void>
}
