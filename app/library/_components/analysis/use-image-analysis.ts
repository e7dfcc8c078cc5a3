'use client'

import { useLiveQuery } from 'dexie-react-hooks'
import { useState } from 'react'
import { registry, taskIds, type TaskId } from '../../../../models'
import { resultsFor } from '../../../_data/analysis'
import { getOrCreateDb, type JobRecord } from '../../../_data/db'

/** An overlay item a list row or a shape can point at, e.g. `object-detection:3`. */
export type HighlightKey = `${TaskId}:${number}`

export interface AnalysisView {
  /** Overlays shown, per task. */
  visible: Record<TaskId, boolean>
  /** Confidence floor per task, 0–1; stored results are filtered, never re-run. */
  minScore: Record<TaskId, number>
  showMesh: boolean
  highlight: HighlightKey | null
}

const initialMinScore = (id: TaskId): number => {
  const options = registry[id].manifest.defaultOptions as {
    displayMinScore?: number
    minScore?: number
  }
  return options.displayMinScore ?? options.minScore ?? 0
}

/** Stored results and queue state for one image, plus how the viewer shows them. */
export function useImageAnalysis(imageId: string) {
  const db = getOrCreateDb()
  const results = useLiveQuery(() => resultsFor(db, imageId), [imageId])
  const jobs = useLiveQuery(
    () => db.jobs.where('imageId').equals(imageId).toArray(),
    [imageId],
    [] as JobRecord[],
  )
  const [view, setView] = useState<AnalysisView>(() => ({
    // The people mask tints most of a portrait, so it waits to be asked for.
    visible: Object.fromEntries(taskIds.map((id) => [id, id !== 'person-segmentation'])) as Record<
      TaskId,
      boolean
    >,
    minScore: Object.fromEntries(taskIds.map((id) => [id, initialMinScore(id)])) as Record<
      TaskId,
      number
    >,
    showMesh: false,
    highlight: null,
  }))
  const update = (patch: Partial<AnalysisView>) => setView((v) => ({ ...v, ...patch }))
  /** The latest job for each task: what the panel shows while there is no fresh result. */
  const jobByTask = new Map<TaskId, JobRecord>()
  for (const job of jobs) jobByTask.set(job.task, job)
  return { results, jobByTask, view, update }
}
