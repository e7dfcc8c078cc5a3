'use client'

import { useLocalStorage } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useLiveQuery } from 'dexie-react-hooks'
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  type ReactNode,
} from 'react'
import type { TaskId } from '../../models'
import { inferencePlan, setProviderPreference } from '../../workers/inference-client'
import * as queue from '../_data/analysis'
import { createAnalysisRunner, type AnalysisRunner } from '../_data/analysis-runner'
import { getOrCreateDb, type ImageSource } from '../_data/db'
import { readAnalysisSettings, useAnalysisSettings } from './use-analysis-settings'

interface AnalysisQueueValue {
  paused: boolean
  pause(): void
  resume(): void
  /** Drops every queued job and aborts the running ones; results already stored stay. */
  cancel(): Promise<void>
  /** Queues `tasks` (default: the tasks chosen in Settings) for the images. */
  enqueue(
    imageIds: readonly string[],
    tasks?: readonly TaskId[],
    source?: ImageSource,
  ): Promise<number>
  retryFailed(): Promise<void>
  clearFinished(): Promise<void>
}

/** Where pause survives a reload; the runner reads it before React state exists. */
const pausedKey = 'sightline.analysis-paused'
/** The runner found storage full and paused itself. */
const storageFullEvent = 'sightline:analysis-storage-full'

const AnalysisQueueContext = createContext<AnalysisQueueValue | null>(null)

export function useAnalysisQueue(): AnalysisQueueValue {
  const value = useContext(AnalysisQueueContext)
  if (!value) throw new Error('useAnalysisQueue must be used inside <AnalysisQueueProvider>')
  return value
}

/** Progress of the latest batch of analysis jobs, live. */
export function useBatchProgress() {
  return useLiveQuery(() => queue.latestBatchProgress(getOrCreateDb()), [])
}

/**
 * Runs the analysis queue for the whole app. Only one tab works the queue at a time (a Web
 * Lock), so two tabs never analyse the same image twice; another tab takes over when it closes.
 */
export function AnalysisQueueProvider({ children }: { children: ReactNode }) {
  const [paused, setPaused] = useLocalStorage({
    key: pausedKey,
    defaultValue: false,
    getInitialValueInEffect: false,
  })
  const runner = useRef<AnalysisRunner | null>(null)
  const { settings } = useAnalysisSettings()

  useEffect(() => setProviderPreference(settings.provider), [settings.provider])

  useEffect(() => {
    const onFull = () => {
      setPaused(true)
      notifications.show({
        color: 'red',
        title: 'Analysis paused: storage is full',
        message:
          'Results cannot be stored on this device. Free space (Settings → Storage), then resume the queue.',
        autoClose: false,
      })
    }
    window.addEventListener(storageFullEvent, onFull)
    return () => window.removeEventListener(storageFullEvent, onFull)
  }, [setPaused])

  useEffect(() => {
    const db = getOrCreateDb()
    setProviderPreference(readAnalysisSettings().provider)
    let release: (() => void) | undefined
    let disposed = false
    const start = () => {
      const startPaused = localStorage.getItem(pausedKey) === 'true'
      runner.current = createAnalysisRunner(db, inferencePlan().workers * 2, startPaused, () => {
        localStorage.setItem(pausedKey, 'true')
        window.dispatchEvent(new Event(storageFullEvent))
      })
    }
    if (navigator.locks) {
      void navigator.locks.request(
        'sightline-analysis-queue',
        () =>
          new Promise<void>((resolve) => {
            release = resolve
            if (disposed) resolve()
            else start()
          }),
      )
    } else {
      start()
    }
    return () => {
      disposed = true
      runner.current?.dispose()
      runner.current = null
      release?.()
    }
  }, [])

  const pause = useCallback(() => {
    setPaused(true)
    runner.current?.pause()
  }, [setPaused])
  const resume = useCallback(() => {
    setPaused(false)
    runner.current?.resume()
  }, [setPaused])
  const cancel = useCallback(async () => {
    await queue.cancelQueued(getOrCreateDb())
    runner.current?.abortRunning()
  }, [])
  const enqueue = useCallback(
    (imageIds: readonly string[], tasks?: readonly TaskId[], source?: ImageSource) =>
      queue.enqueue(
        getOrCreateDb(),
        imageIds,
        tasks ?? readAnalysisSettings().autoTasks,
        Date.now(),
        source,
      ),
    [],
  )
  const retryFailed = useCallback(async () => {
    await queue.retryFailed(getOrCreateDb())
  }, [])
  const clearFinished = useCallback(async () => {
    await queue.clearFinished(getOrCreateDb())
  }, [])

  const value = useMemo(
    () => ({ paused, pause, resume, cancel, enqueue, retryFailed, clearFinished }),
    [paused, pause, resume, cancel, enqueue, retryFailed, clearFinished],
  )
  return <AnalysisQueueContext.Provider value={value}>{children}</AnalysisQueueContext.Provider>
}
