'use client'

import { notifications } from '@mantine/notifications'
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import { getOrCreateDb } from '../_data/db'
import { useAnalysisQueue } from './use-analysis-queue'
import { importBatch, type ImportProgress, type ImportReport } from '../_data/import-batch'
import { requestPersistenceOnce } from '../_lib/storage'

export type ImportState =
  | { status: 'idle' }
  | { status: 'running'; progress: ImportProgress }
  | { status: 'done'; report: ImportReport }

interface ImportContextValue {
  state: ImportState
  /** Starts importing; files dropped while a batch runs are queued behind it. */
  start(files: readonly File[]): void
  cancel(): void
  dismiss(): void
  openFilePicker(): void
  openFolderPicker(): void
}

const ImportContext = createContext<ImportContextValue | null>(null)

export function useImport(): ImportContextValue {
  const value = useContext(ImportContext)
  if (!value) throw new Error('useImport must be used inside <ImportProvider>')
  return value
}

/** Holds the import state for the whole app, so a batch survives moving between screens. */
export function ImportProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ImportState>({ status: 'idle' })
  const controller = useRef<AbortController | null>(null)
  const queue = useRef<Promise<unknown>>(Promise.resolve())
  const fileInput = useRef<HTMLInputElement>(null)
  const folderInput = useRef<HTMLInputElement>(null)

  const { enqueue } = useAnalysisQueue()

  const start = useCallback(
    (files: readonly File[]) => {
      if (files.length === 0) return
      queue.current = queue.current.then(async () => {
        const abort = new AbortController()
        controller.current = abort
        // Stored images are queued for analysis in groups, so analysis starts during a long import.
        const stored: string[] = []
        let flushTimer: ReturnType<typeof setTimeout> | undefined
        const flush = () => {
          flushTimer = undefined
          if (stored.length > 0) void enqueue(stored.splice(0)).catch(console.error)
        }
        try {
          const report = await importBatch(
            abort.signal,
            getOrCreateDb(),
            files,
            (progress) => setState({ status: 'running', progress }),
            (id) => {
              stored.push(id)
              flushTimer ??= setTimeout(flush, 500)
            },
          )
          clearTimeout(flushTimer)
          flush()
          setState({ status: 'done', report })
          // Once the library holds something worth keeping; asked once, so it never nags.
          if (report.added > 0) void requestPersistenceOnce('first-import')
        } catch (err) {
          // importBatch reports per-file failures itself; reaching here is a bug, but the next
          // batch must still run.
          console.error(err)
          notifications.show({
            color: 'red',
            title: 'Import stopped',
            message: 'Something went wrong while importing. Images already imported are kept.',
          })
          setState({ status: 'idle' })
        } finally {
          controller.current = null
        }
      })
    },
    [enqueue],
  )

  const cancel = useCallback(() => controller.current?.abort(), [])
  const dismiss = useCallback(
    () => setState((s) => (s.status === 'done' ? { status: 'idle' } : s)),
    [],
  )

  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = Array.from(event.clipboardData?.files ?? [])
      if (files.length === 0) return
      event.preventDefault()
      start(files)
    }
    document.addEventListener('paste', onPaste)
    return () => document.removeEventListener('paste', onPaste)
  }, [start])

  const value = useMemo<ImportContextValue>(
    () => ({
      state,
      start,
      cancel,
      dismiss,
      openFilePicker: () => fileInput.current?.click(),
      openFolderPicker: () => folderInput.current?.click(),
    }),
    [state, start, cancel, dismiss],
  )

  const onPicked = (event: React.ChangeEvent<HTMLInputElement>) => {
    start(Array.from(event.currentTarget.files ?? []))
    event.currentTarget.value = ''
  }

  return (
    <ImportContext.Provider value={value}>
      {children}
      <input
        ref={fileInput}
        type="file"
        multiple
        accept="image/*,.heic,.heif,.avif"
        hidden
        data-testid="import-input"
        aria-label="Choose images to import"
        onChange={onPicked}
      />
      <input
        ref={folderInput}
        type="file"
        hidden
        aria-label="Choose a folder to import"
        onChange={onPicked}
        {...{ webkitdirectory: '', directory: '' }}
      />
    </ImportContext.Provider>
  )
}
