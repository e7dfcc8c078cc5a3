'use client'

import { Alert, Button, Card, Group, List, Progress, Stack, Text, Title } from '@mantine/core'
import { IconAlertTriangle, IconDownload, IconUpload } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import type { ImportReport } from '../_data/backup/import'
import type { BackupProgress } from '../_data/backup/progress'
import { getOrCreateDb } from '../_data/db'
import { saveBlob } from '../_lib/download'
import { formatBytes } from '../_lib/format'
import { release } from '../_lib/telemetry/settings'

type State =
  | { status: 'idle' }
  | { status: 'busy'; action: 'export' | 'import'; progress?: BackupProgress }
  | { status: 'exported'; fileName: string; bytes: number; images: number; results: number }
  | { status: 'imported'; report: ImportReport }
  | { status: 'cancelled'; message: string }
  | { status: 'failed'; title: string; message: string }

/** Export of the whole library as one file, and import of such a file, on any device. */
export function BackupSettingsCard() {
  const [state, setState] = useState<State>({ status: 'idle' })
  const controller = useRef<AbortController | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const busy = state.status === 'busy'

  useEffect(() => () => controller.current?.abort(), [])

  /** Runs one export or import at a time, with progress, cancel and a plain outcome. */
  const run = async (
    action: 'export' | 'import',
    work: (signal: AbortSignal, onProgress: (progress: BackupProgress) => void) => Promise<State>,
  ) => {
    const current = new AbortController()
    controller.current = current
    let last: BackupProgress | undefined
    setState({ status: 'busy', action })
    try {
      setState(
        await work(current.signal, (progress) => {
          last = progress
          setState({ status: 'busy', action, progress })
        }),
      )
    } catch (err) {
      setState(
        current.signal.aborted
          ? { status: 'cancelled', message: cancelled(action, last) }
          : failure(action, err),
      )
    } finally {
      controller.current = null
    }
  }

  const exportAll = () =>
    void run('export', async (signal, onProgress) => {
      // Loaded on demand: the backup code brings zod, which no other part of the app's pages needs.
      const { exportLibrary } = await import('../_data/backup/export')
      const { blob, fileName, images, results } = await exportLibrary(signal, getOrCreateDb(), {
        app: release,
        onProgress,
      })
      saveBlob(blob, fileName)
      return { status: 'exported', fileName, bytes: blob.size, images, results }
    })

  const importFile = (file: File) =>
    void run('import', async (signal, onProgress) => {
      const { importBackup } = await import('../_data/backup/import')
      const report = await importBackup(signal, getOrCreateDb(), file, { onProgress })
      return { status: 'imported', report }
    })

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} fz="lg">
          Back up your library
        </Title>
        <Text fz="sm">
          Save every image with its analysis results in one file. Import that file in Sightline on
          any device or browser to get your library back. Keep it somewhere safe: browsers can clear
          a site&apos;s storage.
        </Text>
        <Group gap="sm">
          <Button
            leftSection={<IconDownload size={16} />}
            onClick={exportAll}
            disabled={busy}
            data-testid="backup-export"
          >
            Export library
          </Button>
          <Button
            variant="default"
            leftSection={<IconUpload size={16} />}
            onClick={() => fileInput.current?.click()}
            disabled={busy}
            data-testid="backup-import"
          >
            Import a backup
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".zip,application/zip"
            hidden
            aria-label="Choose a backup file to import"
            data-testid="backup-import-input"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0]
              event.currentTarget.value = ''
              if (file) importFile(file)
            }}
          />
        </Group>
        <Outcome state={state} onCancel={() => controller.current?.abort()} />
      </Stack>
    </Card>
  )
}

function Outcome({ state, onCancel }: { state: State; onCancel: () => void }) {
  switch (state.status) {
    case 'idle':
      return null
    case 'busy':
      return <Working action={state.action} progress={state.progress} onCancel={onCancel} />
    case 'exported':
      return (
        <Text fz="sm" role="status" data-testid="backup-export-summary">
          Saved {state.fileName} ({formatBytes(state.bytes)}): {count(state.images, 'image')} and{' '}
          {count(state.results, 'analysis result')}.
        </Text>
      )
    case 'imported':
      return <ImportSummary report={state.report} />
    case 'cancelled':
      return (
        <Text fz="sm" role="status" data-testid="backup-cancelled">
          {state.message}
        </Text>
      )
    case 'failed':
      return (
        <Alert
          color="red"
          icon={<IconAlertTriangle size={18} />}
          title={state.title}
          role="alert"
          data-testid="backup-error"
        >
          {state.message}
        </Alert>
      )
  }
}

function Working({
  action,
  progress,
  onCancel,
}: {
  action: 'export' | 'import'
  progress?: BackupProgress
  onCancel: () => void
}) {
  const share = progress?.totalBytes ? (progress.doneBytes / progress.totalBytes) * 100 : 0
  return (
    <Stack gap={4}>
      <Progress
        value={progress?.totalImages === 0 ? 100 : share}
        animated
        aria-label={action === 'export' ? 'Export progress' : 'Import progress'}
        data-testid="backup-progress"
      />
      <Group justify="space-between" wrap="nowrap">
        <Text fz="sm" c="dimmed" aria-live="polite">
          {progressText(action, progress)}
        </Text>
        <Button variant="subtle" size="xs" onClick={onCancel} data-testid="backup-cancel">
          Cancel
        </Button>
      </Group>
    </Stack>
  )
}

function ImportSummary({ report }: { report: ImportReport }) {
  const { added, alreadyThere, failed, results, stopped } = report
  return (
    <Stack
      gap="xs"
      role="status"
      data-testid="backup-import-summary"
      data-added={added.length}
      data-already-there={alreadyThere.length}
      data-failed={failed.length}
    >
      <Text fz="sm">
        {added.length > 0
          ? `Added ${count(added.length, 'image')}` +
            (results > 0 ? ` with ${count(results, 'analysis result')}.` : '.')
          : 'No images were added.'}
        {alreadyThere.length > 0 &&
          ` ${count(alreadyThere.length, 'image')} ${alreadyThere.length === 1 ? 'was' : 'were'} ` +
            'already in your library (perhaps in the trash) and left as they are.'}
      </Text>
      {stopped && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The import stopped">
          {stopped}
        </Alert>
      )}
      {failed.length > 0 && (
        <div>
          <Text fz="sm" fw={500}>
            Not imported:
          </Text>
          <List fz="sm" spacing={2}>
            {failed.slice(0, 20).map(({ name, reason }, i) => (
              <List.Item key={`${i}-${name}`}>
                {name}: {reason}
              </List.Item>
            ))}
            {failed.length > 20 && <List.Item>and {failed.length - 20} more.</List.Item>}
          </List>
        </div>
      )}
    </Stack>
  )
}

function progressText(action: 'export' | 'import', progress?: BackupProgress): string {
  if (!progress) return action === 'export' ? 'Starting the export…' : 'Opening the backup…'
  const images = `${progress.doneImages.toLocaleString()} of ${count(progress.totalImages, 'image')}`
  switch (progress.phase) {
    case 'packing':
      return `Packing ${images}…`
    case 'checking':
      return `Checking the backup: ${images}…`
    case 'restoring':
      return `Restoring ${images}…`
  }
}

function cancelled(action: 'export' | 'import', last?: BackupProgress): string {
  if (action === 'export') return 'Export cancelled. No file was saved.'
  if (last?.phase !== 'restoring' || last.doneImages === 0) {
    return 'Import cancelled. Nothing was imported.'
  }
  return `Import cancelled after ${count(last.doneImages, 'image')} of ${last.totalImages.toLocaleString()}. Those stay in your library.`
}

function failure(action: 'export' | 'import', err: unknown): State {
  const message = err instanceof Error ? err.message : String(err)
  if (action === 'export') {
    return { status: 'failed', title: 'The library could not be exported', message }
  }
  const named = err instanceof Error ? err.name : ''
  if (named === 'BackupFormatError' || named === 'BackupVersionError') {
    return {
      status: 'failed',
      title: 'This file cannot be imported',
      message: `${message} Nothing was imported.`,
    }
  }
  return { status: 'failed', title: 'The backup could not be imported', message }
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`
}
