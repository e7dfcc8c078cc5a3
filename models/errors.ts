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
