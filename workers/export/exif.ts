// The public face of EXIF export: read the original's block, rebuild it for the exported pixels,
// and put it into the encoded file.
export { readExif, withExif, type ExportMime } from './containers'
export { MetadataError } from './errors'
export { prepareExif, type PixelSize } from './tiff'
