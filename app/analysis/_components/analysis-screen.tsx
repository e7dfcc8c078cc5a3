'use client'

import {
  Alert,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { IconDownload, IconPlayerPause, IconPlayerPlay, IconScan, IconX } from '@tabler/icons-react'
import { useLiveQuery } from 'dexie-react-hooks'
import Link from 'next/link'
import { registry, taskIds, type TaskId } from '../../../models'
import { getOrCreateDb } from '../../_data/db'
import { listImages } from '../../_data/images'
import { useAnalysisQueue, useBatchProgress } from '../../_hooks/use-analysis-queue'
import { readAnalysisSettings } from '../../_hooks/use-analysis-settings'
import { formatEta } from '../../_lib/format'
import { downloadAnalysis } from '../../_lib/library-actions'
import { RuntimeCard } from './runtime-card'

/** The analysis queue: progress, pause/resume/cancel, failures with reasons, whole-library runs. */
export function AnalysisScreen() {
  const db = getOrCreateDb()
  const progress = useBatchProgress()
  const { paused, pause, resume, cancel, retryFailed, enqueue } = useAnalysisQueue()
  const failed = useLiveQuery(async () => {
    const jobs = await db.jobs.where('status').equals('failed').limit(200).toArray()
    const images = await db.images.bulkGet(jobs.map((j) => j.imageId))
    return jobs.map((job, i) => ({ job, name: images[i]?.name ?? 'Deleted image' }))
  }, [])
  const coverage = useLiveQuery(async () => {
    const total = await db.images.filter((i) => i.deletedAt === undefined).count()
    const counts = Object.fromEntries(
      await Promise.all(
        taskIds.map(async (id) => [id, await db.results.where('task').equals(id).count()]),
      ),
    ) as Record<TaskId, number>
    return { total, counts }
  }, [])

  const busy = progress !== undefined && progress.queued + progress.running > 0
  const finished = progress ? progress.done + progress.failed : 0

  const analyseMissing = async () => {
    const images = await listImages(db)
    const tasks = readAnalysisSettings().autoTasks
    for (const task of tasks) {
      const done = new Set(
        await db.results
          .where('task')
          .equals(task)
          .primaryKeys()
          .then((keys) => keys.map(([id]) => id)),
      )
      await enqueue(
        images.filter((i) => !done.has(i.id)).map((i) => i.id),
        [task],
      )
    }
  }

  return (
    <Stack gap="lg" maw={960}>
      <Title order={2}>Analysis</Title>
      <Card withBorder>
        <Stack gap="sm">
          <Group justify="space-between">
            <Text fw={600}>Queue</Text>
            <Group gap="xs">
              {busy &&
                (paused ? (
                  <Button size="xs" leftSection={<IconPlayerPlay size={14} />} onClick={resume}>
                    Resume
                  </Button>
                ) : (
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconPlayerPause size={14} />}
                    onClick={pause}
                  >
                    Pause
                  </Button>
                ))}
              {busy && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  leftSection={<IconX size={14} />}
                  onClick={() => void cancel()}
                >
                  Cancel
                </Button>
              )}
              <Button
                size="xs"
                variant="default"
                leftSection={<IconDownload size={14} />}
                onClick={async () =>
                  downloadAnalysis(db, await listImages(db), 'sightline-library-analysis.json')
                }
              >
                Export all results
              </Button>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconScan size={14} />}
                onClick={() => void analyseMissing()}
              >
                Analyse images without results
              </Button>
            </Group>
          </Group>
          {progress ? (
            <>
              <Progress
                value={progress.total ? (finished / progress.total) * 100 : 0}
                animated={busy && !paused}
                aria-label="Queue progress"
              />
              <Text size="sm" c="dimmed">
                {busy ? (paused ? 'Paused: ' : '') : 'Last batch: '}
                {finished} of {progress.total} analyses done
                {progress.failed ? `, ${progress.failed} failed` : ''}
                {busy && !paused && progress.remainingMs !== undefined
                  ? ` · ${formatEta(progress.remainingMs)} left`
                  : ''}
              </Text>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              Nothing queued. Imported images are analysed automatically with the tasks chosen in{' '}
              <Link href="/settings">Settings</Link>; open an image in the{' '}
              <Link href="/library">library</Link> to see its results.
            </Text>
          )}
        </Stack>
      </Card>

      {coverage && (
        <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
          {taskIds.map((id) => (
            <Card key={id} withBorder padding="sm">
              <Text size="xs" c="dimmed">
                {registry[id].manifest.label}
              </Text>
              <Text fw={700} fz="lg">
                {coverage.counts[id]} / {coverage.total}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}

      <RuntimeCard />

      {failed && failed.length > 0 && (
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3} size="h4">
              Failed ({failed.length})
            </Title>
            <Button size="xs" onClick={() => void retryFailed()}>
              Retry all
            </Button>
          </Group>
          <Alert color="red" variant="light" p="xs">
            A failure affects only that image and task; the rest of the queue went on.
          </Alert>
          <Table striped data-testid="failed-jobs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Image</Table.Th>
                <Table.Th>Task</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {failed.map(({ job, name }) => (
                <Table.Tr key={job.id}>
                  <Table.Td>
                    <Link href={`/library?image=${job.imageId}`}>{name}</Link>
                  </Table.Td>
                  <Table.Td>{registry[job.task]?.manifest.label ?? job.task}</Table.Td>
                  <Table.Td>{job.error?.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  )
}
