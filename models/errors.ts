/**
 * Named errors shared by models, workers and the app. Comlink rebuilds an error thrown in a
 * worker as a plain Error that keeps only name, message and stack, so match on `name`.
 * Messages are shown to the user: they say what happened and what the user can do.
 */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError'
}
export class TooManyPixelsError extends Error {
  override readonly name = 'TooManyPixelsError'
}
export class UnsupportedFormatError extends Error {
  override readonly name = 'UnsupportedFormatError'
}
export class CorruptImageError extends Error {
  override readonly name = 'CorruptImageError'
}
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError'
}
export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError'
}
export class InvalidTagError extends Error {
  override readonly name = 'InvalidTagError'
}
export class ArchiveTooLargeError extends Error {
  override readonly name = 'ArchiveTooLargeError'
}

/** A model file could not be fetched, failed its sha256 check, or no session could be created. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError'
}
/** A model returned tensors of a shape or type its post-processing does not expect. */
export class TaskOutputError extends Error {
  override readonly name = 'TaskOutputError'
}
/** The image cannot be analysed by this task (too small, empty…). */
export class UnsupportedInputError extends Error {
  override readonly name = 'UnsupportedInputError'
}
/** A TF.js graph model could not be converted to ONNX (unknown op, unsupported attribute…). Build time only. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError'
}
/** The inference worker died or stopped answering. */
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError'
}

export type KnownErrorName =
  | 'AbortError'
  | (
      | FileTooLargeError
      | TooManyPixelsError
      | UnsupportedFormatError
      | CorruptImageError
      | StorageFullError
      | InvalidNameError
      | InvalidTagError
      | ArchiveTooLargeError
      | ModelLoadError
      | TaskOutputError
      | UnsupportedInputError
      | WorkerCrashedError
    )['name']

export function hasName<N extends KnownErrorName>(
  err: unknown,
  name: N,
): err is Error & { name: N } {
  return err instanceof Error && err.name === name
}

/** True for errors the import pipeline raises on purpose; anything else is a bug. */
export function isImportRefusal(err: unknown): err is Error {
  return (
    hasName(err, 'FileTooLargeError') ||
    hasName(err, 'TooManyPixelsError') ||
    hasName(err, 'UnsupportedFormatError') ||
    hasName(err, 'CorruptImageError')
  )
}
