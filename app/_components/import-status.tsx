'use client'

import {
  Alert,
  Anchor,
  Button,
  CloseButton,
  Collapse,
  Group,
  List,
  Progress,
  ScrollArea,
  Stack,
  Text,
} from '@mantine/core'
import { useInterval } from '@mantine/hooks'
import Link from 'next/link'
import { useEffect, useState } from 'react'
import {
  estimateRemainingMs,
  type ImportIssue,
  type ImportProgress,
  type ImportReport,
} from '../_data/import-batch'
import { useImport } from '../_hooks/use-import'
import { FloatingCard } from './floating-card'
import { formatBytes, formatEta } from '../_lib/format'

/** A report without problems closes itself after this long. */
const autoCloseMs = 8_000

/** The floating import card: progress with ETA and cancel while running, a report after. */
export function ImportStatus() {
  const { state, cancel, dismiss } = useImport()
  const [now, setNow] = useState(() => Date.now())
  const ticker = useInterval(() => setNow(Date.now()), 1000)
  const running = state.status === 'running'
  useEffect(() => {
    if (running) ticker.start()
    else ticker.stop()
    return ticker.stop
  }, [running, ticker])

  if (state.status === 'idle') return null

  return (
    <FloatingCard position={{ top: 68, right: 16 }} zIndex={300} width={380} label="Import">
      {state.status === 'running' ? (
        <Running
          progress={state.progress}
          remainingMs={estimateRemainingMs(state.progress, now)}
          onCancel={cancel}
        />
      ) : (
        <Report report={state.report} onClose={dismiss} />
      )}
    </FloatingCard>
  )
}

function Running({
  progress,
  remainingMs,
  onCancel,
}: {
  progress: ImportProgress
  remainingMs: number | undefined
  onCancel(): void
}) {
  const percent = progress.total === 0 ? 100 : (progress.done / progress.total) * 100
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600}>Importing images</Text>
        <Button size="xs" variant="default" onClick={onCancel}>
          Cancel import
        </Button>
      </Group>
      <Progress value={percent} aria-label="Import progress" animated striped />
      <Text fz="sm" c="dimmed" aria-live="polite">
        {progress.done} of {progress.total} · {formatBytes(progress.bytesDone)} of{' '}
        {formatBytes(progress.bytesTotal)}
        {remainingMs !== undefined ? ` · ${formatEta(remainingMs)} left` : ''}
      </Text>
    </Stack>
  )
}

function Report({ report, onClose }: { report: ImportReport; onClose(): void }) {
  const problems = report.failed.length + report.duplicates.length + report.skipped.length
  const notStored = report.notStored.length
  const [showDetails, setShowDetails] = useState(false)
  const seconds = ((report.finishedAt - report.startedAt) / 1000).toFixed(1)

  useEffect(() => {
    if (problems > 0 || report.stoppedBy) return
    const timer = setTimeout(onClose, autoCloseMs)
    return () => clearTimeout(timer)
  }, [problems, report.stoppedBy, onClose])

  return (
    <Stack gap="xs" data-testid="import-summary" data-added={report.added}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600}>
          {report.stoppedBy
            ? 'Import stopped'
            : report.cancelled
              ? 'Import cancelled'
              : 'Import finished'}
        </Text>
        <CloseButton aria-label="Close import report" onClick={onClose} />
      </Group>
      <Text fz="sm" aria-live="polite">
        {summaryLine(report)} in {seconds} s.
      </Text>
      {notStored > 0 ? <StorageFull issues={report.notStored} /> : null}
      {problems > 0 ? (
        <>
          <Button
            variant="subtle"
            size="compact-sm"
            w="fit-content"
            onClick={() => setShowDetails((v) => !v)}
            aria-expanded={showDetails}
          >
            {showDetails ? 'Hide details' : 'Show details'}
          </Button>
          <Collapse expanded={showDetails}>
            <ScrollArea.Autosize mah={260} type="auto">
              <Stack gap={6}>
                <IssueList title="Could not be imported" color="red" issues={report.failed} />
                <IssueList
                  title="Already in your library"
                  color="yellow"
                  issues={report.duplicates}
                />
                <IssueList title="Skipped" color="gray" issues={report.skipped} />
              </Stack>
            </ScrollArea.Autosize>
          </Collapse>
        </>
      ) : null}
    </Stack>
  )
}

function StorageFull({ issues }: { issues: ImportIssue[] }) {
  const images = issues.length === 1 ? '1 image was' : `${issues.length} images were`
  return (
    <Alert color="red" title="Storage is full" p="xs" data-testid="import-storage-full">
      <Stack gap={6}>
        <Text fz="sm">
          Storage is full: {images} not imported. Everything imported before is kept. Free space on
          this device, or delete images you no longer need, then import these again.
        </Text>
        <ScrollArea.Autosize mah={140} type="auto">
          <List size="sm" spacing={2} aria-label="Not stored">
            {issues.map((issue, i) => (
              <List.Item key={`${issue.name}-${i}`}>{issue.message}</List.Item>
            ))}
          </List>
        </ScrollArea.Autosize>
        <Anchor component={Link} href="/settings#storage" fz="sm">
          See storage in Settings
        </Anchor>
      </Stack>
    </Alert>
  )
}

function IssueList({
  title,
  color,
  issues,
}: {
  title: string
  color: string
  issues: ImportIssue[]
}) {
  if (issues.length === 0) return null
  return (
    <div>
      <Text fz="sm" fw={600} c={color}>
        {title} ({issues.length})
      </Text>
      <List size="sm" spacing={2} aria-label={title}>
        {issues.map((issue, i) => (
          <List.Item key={`${issue.name}-${i}`}>{issue.message}</List.Item>
        ))}
      </List>
    </div>
  )
}

function summaryLine(report: ImportReport): string {
  const parts = [`${report.added} added`]
  if (report.duplicates.length) parts.push(`${report.duplicates.length} already in the library`)
  if (report.failed.length) parts.push(`${report.failed.length} failed`)
  if (report.skipped.length) parts.push(`${report.skipped.length} skipped`)
  if (report.notStored.length) parts.push(`${report.notStored.length} not stored`)
  if (report.cancelled) parts.push(`${report.total - report.done} not started`)
  return parts.join(', ')
}
