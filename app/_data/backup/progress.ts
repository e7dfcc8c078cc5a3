/** How far an export or import has come. */
export interface BackupProgress {
  /** `packing` while exporting; `checking` then `restoring` while importing. */
  phase: 'packing' | 'checking' | 'restoring'
  /** Bytes of image files done and in all. */
  doneBytes: number
  totalBytes: number
  doneImages: number
  totalImages: number
}
