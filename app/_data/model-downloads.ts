'use client'

import { useSyncExternalStore } from 'react'
import type { TaskId } from '../../models'
import type { LoadProgress } from '../../workers/inference-client'

// Model downloads in progress, by task: a tiny store the queue writes and the status card reads.
const inProgress = new Map<TaskId, LoadProgress>()
const listeners = new Set<() => void>()
const none: readonly LoadProgress[] = []
let snapshot: readonly LoadProgress[] = none

function publish() {
  snapshot = inProgress.size === 0 ? none : [...inProgress.values()]
  for (const listener of listeners) listener()
}

/** Records a task's download progress; a finished download drops out. */
export function reportModelDownload(progress: LoadProgress): void {
  if (progress.receivedBytes >= progress.totalBytes) inProgress.delete(progress.task)
  else inProgress.set(progress.task, progress)
  publish()
}

/** Forgets a task's download (it finished, failed or was abandoned). */
export function endModelDownload(task: TaskId): void {
  if (inProgress.delete(task)) publish()
}

/** Downloads in progress, live. */
export function useModelDownloads(): readonly LoadProgress[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => snapshot,
    () => none,
  )
}
