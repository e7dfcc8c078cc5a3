/** EXIF, or the image file around it, is malformed or cannot hold it; exports can go on without. */
export class MetadataError extends Error {
  override readonly name = 'MetadataError'
}
