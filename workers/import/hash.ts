/** SHA-256 of a file's bytes as 64 lowercase hex digits: the library's identity for a photo. */
export async function sha256Hex(
  input: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>,
): Promise<string> {
  const data = input instanceof Blob ? await input.arrayBuffer() : input
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
