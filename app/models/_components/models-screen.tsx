'use client'

import { Badge, Button, Group, Progress, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconCloudDownload, IconTrash } from '@tabler/icons-react'
import { useCallback, useEffect, useState } from 'react'
import { registry, taskIds, type TaskId } from '../../../models'
import { sources } from '../../../models/sources'
import type { ModelFile } from '../../../models/types'
import { modelCacheName, modelUrl, prepareTask } from '../../../workers/inference-client'
import { formatBytes } from '../../_lib/format'

interface Row {
  task: TaskId
  role: string
  file: ModelFile
}

const rows: Row[] = taskIds.flatMap((task) =>
  Object.entries(registry[task].manifest.files as Record<string, ModelFile>).map(
    ([role, file]) => ({
      task,
      role,
      file,
    }),
  ),
)

async function readCachedUrls(): Promise<Set<string>> {
  if (!globalThis.caches) return new Set()
  const keys = await (await caches.open(modelCacheName)).keys()
  return new Set(keys.map((request) => new URL(request.url).pathname))
}

/** URLs of model files in Cache Storage; undefined while checking. */
function useCachedUrls() {
  const [cached, setCached] = useState<Set<string>>()
  const refresh = useCallback(async () => setCached(await readCachedUrls()), [])
  useEffect(() => {
    let live = true
    void readCachedUrls().then((urls) => live && setCached(urls))
    return () => {
      live = false
    }
  }, [])
  return { cached, refresh }
}

/** Every model the app uses: where it comes from, its licence and size, and whether it is cached. */
export function ModelsScreen() {
  const { cached, refresh } = useCachedUrls()
  const [busy, setBusy] = useState(false)
  const [received, setReceived] = useState<Partial<Record<TaskId, number>>>({})
  const total = rows.reduce((sum, r) => sum + r.file.bytes, 0)

  const downloadAll = async () => {
    setBusy(true)
    try {
      setReceived({})
      for (const task of taskIds) {
        await prepareTask(new AbortController().signal, task, (p) =>
          setReceived((r) => ({ ...r, [p.task]: p.receivedBytes })),
        )
      }
      notifications.show({
        color: 'green',
        title: 'Models ready',
        message: 'Every model is cached on this device.',
      })
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not download the models',
        message: error instanceof Error ? error.message : String(error),
      })
    } finally {
      setBusy(false)
      await refresh()
    }
  }

  const clear = async () => {
    await caches.delete(modelCacheName)
    await refresh()
  }

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between">
        <div>
          <Title order={2}>Models</Title>
          <Text size="sm" c="dimmed">
            Every model runs on this device. Files come from this site, are checked by SHA-256 and
            kept in the browser&apos;s cache ({formatBytes(total)} in all).
          </Text>
        </div>
        <Group gap="xs">
          <Button
            size="xs"
            leftSection={<IconCloudDownload size={14} />}
            loading={busy}
            onClick={() => void downloadAll()}
          >
            Download all
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconTrash size={14} />}
            onClick={() => void clear()}
          >
            Clear cache
          </Button>
        </Group>
      </Group>
      {busy && (
        <Progress
          value={(Object.values(received).reduce((a, b) => a + (b ?? 0), 0) / total) * 100}
          aria-label="Model download"
        />
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table striped data-testid="models-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Task</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Licence</Table.Th>
              <Table.Th>Input</Table.Th>
              <Table.Th ta="right">Size</Table.Th>
              <Table.Th>Cached</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ task, role, file }) => {
              const source = sources[file.source.package]
              return (
                <Table.Tr key={file.file}>
                  <Table.Td>
                    {registry[task].manifest.label}
                    <Text size="xs" c="dimmed">
                      {role}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <code>{file.file}</code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {source.name}@{source.version}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {file.source.path}
                      {file.source.convert ? ' (converted to ONNX at install)' : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{file.licence}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{file.input ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatBytes(file.bytes)}</Table.Td>
                  <Table.Td>
                    {cached === undefined ? null : cached.has(modelUrl(file)) ? (
                      <Badge color="green" variant="light">
                        Cached
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light">
                        Not yet
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" c="dimmed">
        Image properties use no model: they are measured in plain code.
      </Text>
    </Stack>
  )
}
