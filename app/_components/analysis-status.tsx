'use client'

import { Anchor, Button, CloseButton, Group, Progress, Stack, Text } from '@mantine/core'
import Link from 'next/link'
import { useEffect } from 'react'
import { useModelDownloads } from '../_data/model-downloads'
import { useAnalysisQueue, useBatchProgress } from '../_hooks/use-analysis-queue'
import { formatBytes, formatEta } from '../_lib/format'
import { FloatingCard } from './floating-card'

/** A finished batch without failures is cleared (and the card closes) after this long. */
const autoCloseMs = 6_000

/** The floating analysis card: the queue's progress, ETA, pause and cancel; failures after. */
export function AnalysisStatus() {
  const progress = useBatchProgress()
  const downloads = useModelDownloads()
  const { paused, pause, resume, cancel, retryFailed, clearFinished } = useAnalysisQueue()
  const busy = progress !== undefined && progress.queued + progress.running > 0
  const cleanFinish = progress !== undefined && !busy && progress.failed === 0

  useEffect(() => {
    if (!cleanFinish) return
    const timer = setTimeout(() => void clearFinished(), autoCloseMs)
    return () => clearTimeout(timer)
  }, [cleanFinish, clearFinished])

  if (!progress) return null
  const finished = progress.done + progress.failed
  const percent = progress.total === 0 ? 100 : (finished / progress.total) * 100

  return (
    // Below modals (200): the viewer shows the same progress per task, and must not be covered.
    <FloatingCard
      position={{ bottom: 16, right: 16 }}
      zIndex={150}
      width={360}
      label="Analysis"
      testId="analysis-status"
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>
            {busy ? (paused ? 'Analysis paused' : 'Analysing images') : 'Analysis finished'}
          </Text>
          {!busy && <CloseButton aria-label="Close" onClick={() => void clearFinished()} />}
        </Group>
        <Progress
          value={percent}
          animated={busy && !paused}
          aria-label="Analysis progress"
          color={progress.failed > 0 && !busy ? 'orange' : undefined}
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {finished} of {progress.total} analyses
          {progress.failed > 0 ? `, ${progress.failed} failed` : ''}
          {busy && !paused && progress.remainingMs !== undefined
            ? ` · ${formatEta(progress.remainingMs)} left`
            : ''}
        </Text>
        {busy && downloads.length > 0 && <Downloads downloads={downloads} />}
        {busy ? (
          <Group gap="xs">
            {paused ? (
              <Button size="xs" onClick={resume}>
                Resume
              </Button>
            ) : (
              <Button size="xs" variant="default" onClick={pause}>
                Pause
              </Button>
            )}
            <Button size="xs" variant="subtle" color="red" onClick={() => void cancel()}>
              Cancel
            </Button>
          </Group>
        ) : (
          progress.failed > 0 && (
            <Group gap="xs">
              <Button size="xs" onClick={() => void retryFailed()}>
                Retry failed
              </Button>
              <Anchor component={Link} href="/analysis" size="sm">
                See why
              </Anchor>
            </Group>
          )
        )}
      </Stack>
    </FloatingCard>
  )
}

/** First use of a task downloads its models (up to 15 MB each); this says so instead of stalling. */
function Downloads({ downloads }: { downloads: ReturnType<typeof useModelDownloads> }) {
  const received = downloads.reduce((sum, d) => sum + d.receivedBytes, 0)
  const total = downloads.reduce((sum, d) => sum + d.totalBytes, 0)
  return (
    <Stack gap={4} data-testid="model-downloads">
      <Text size="xs" c="dimmed">
        Downloading models for first use: {formatBytes(received)} of {formatBytes(total)}
      </Text>
      <Progress size="xs" value={(received / total) * 100} aria-label="Model download" />
    </Stack>
  )
}
