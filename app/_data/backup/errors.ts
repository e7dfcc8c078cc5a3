/**
 * Why a backup file cannot be imported. Messages are shown to the user as they are: they say
 * what is wrong with the file and what to do. Nothing is written when one of these is thrown.
 */
export class BackupFormatError extends Error {
  override readonly name = 'BackupFormatError'
}

/** The backup was written in a format version this version of Sightline cannot read. */
export class BackupVersionError extends Error {
  override readonly name = 'BackupVersionError'
}
