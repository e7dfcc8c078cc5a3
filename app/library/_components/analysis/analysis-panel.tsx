'use client'

import {
  Accordion,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Slider,
  Stack,
  Switch,
  Text,
} from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { registry, taskIds, type TaskId } from '../../../../models'
import { useState } from 'react'
import type { EditRecord, ImageRecord, ImageSource } from '../../../_data/db'
import { useAnalysisQueue } from '../../../_hooks/use-analysis-queue'
import { AnalysisDownloads } from './analysis-downloads'
import { FacesList, ObjectsList, PersonSummary, PropertiesSummary, TextList } from './sections'
import type { useImageAnalysis } from './use-image-analysis'

type Analysis = ReturnType<typeof useImageAnalysis>

/** Tasks whose results carry scores the confidence slider filters. */
const scored = new Set<TaskId>(['object-detection', 'face-detection', 'text-recognition'])

/** Per-task results of one image: lists, figures, overlay toggles and confidence sliders. */
export function AnalysisPanel({
  image,
  edit,
  analysis,
  onExportPerson,
}: {
  image: ImageRecord
  /** The image's saved edit when its rendering is on this device: analysis may run on it. */
  edit?: EditRecord
  analysis: Analysis
  onExportPerson(kind: 'cutout' | 'blur'): void
}) {
  const { enqueue: enqueueOn } = useAnalysisQueue()
  const [choice, setChoice] = useState<ImageSource>('original')
  const source: ImageSource = edit ? choice : 'original'
  const enqueue = (ids: string[], tasks: readonly TaskId[]) => enqueueOn(ids, tasks, source)
  const { results } = analysis
  const analysed = results !== undefined && Object.keys(results).length > 0
  return (
    <Stack p="md" gap="sm">
      {edit ? (
        <div>
          <Text fz="sm" mb={4} id="analyse-source">
            Analyse
          </Text>
          <SegmentedControl
            fullWidth
            size="xs"
            aria-labelledby="analyse-source"
            value={source}
            onChange={(value) => setChoice(value as ImageSource)}
            data={[
              { value: 'original', label: 'Original' },
              { value: 'edited', label: `Edited version (v${edit.revision})` },
            ]}
          />
        </div>
      ) : null}
      <Group justify="space-between">
        <Button
          size="xs"
          leftSection={<IconRefresh size={14} />}
          onClick={() => void enqueue([image.id], taskIds)}
        >
          {analysed ? 'Analyse again' : 'Analyse'}
        </Button>
        <AnalysisDownloads image={image} results={results ?? {}} view={analysis.view} />
      </Group>
      <Accordion multiple defaultValue={[...taskIds]} variant="separated">
        {taskIds.map((id) => (
          <TaskSection
            key={id}
            id={id}
            image={image}
            analysis={analysis}
            onExportPerson={onExportPerson}
            enqueue={enqueue}
          />
        ))}
      </Accordion>
    </Stack>
  )
}

function TaskSection({
  id,
  image,
  analysis,
  onExportPerson,
  enqueue,
}: {
  id: TaskId
  image: ImageRecord
  analysis: Analysis
  onExportPerson(kind: 'cutout' | 'blur'): void
  enqueue(ids: string[], tasks: readonly TaskId[]): Promise<number>
}) {
  const { results, jobByTask, view, update } = analysis
  const record = results?.[id]
  const job = jobByTask.get(id)
  const pending = job?.status === 'queued' || job?.status === 'running'
  const { label } = registry[id].manifest
  return (
    <Accordion.Item value={id} data-testid={`task-${id}`}>
      <Accordion.Control>
        <Group justify="space-between" wrap="nowrap" pr="xs">
          <Text fw={600} size="sm">
            {label}
          </Text>
          {pending ? (
            <Group gap={6} wrap="nowrap">
              <Loader size={12} />
              <Text size="xs" c="dimmed">
                {job.status === 'running' ? 'Analysing' : 'Waiting'}
              </Text>
            </Group>
          ) : job?.status === 'failed' ? (
            <Badge color="red" variant="light">
              Failed
            </Badge>
          ) : null}
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap="sm">
          {job?.status === 'failed' && (
            <Alert color="red" variant="light" title="This analysis failed" p="xs">
              <Text size="sm">{job.error?.message ?? 'Unknown error.'}</Text>
            </Alert>
          )}
          {!record && !pending && job?.status !== 'failed' && (
            <Text size="sm" c="dimmed">
              Not analysed yet.
            </Text>
          )}
          {record && id !== 'image-properties' && (
            <Switch
              size="xs"
              label="Show on image"
              checked={view.visible[id]}
              onChange={(e) =>
                update({ visible: { ...view.visible, [id]: e.currentTarget.checked } })
              }
            />
          )}
          {record && scored.has(id) && (
            <div>
              <Text size="xs" c="dimmed" id={`${id}-min-score`}>
                Minimum confidence: {Math.round(view.minScore[id] * 100)}%
              </Text>
              <Slider
                size="sm"
                min={0}
                max={1}
                step={0.01}
                label={(v) => `${Math.round(v * 100)}%`}
                value={view.minScore[id]}
                onChange={(v) => update({ minScore: { ...view.minScore, [id]: v } })}
                thumbProps={{ 'aria-labelledby': `${id}-min-score` }}
              />
            </div>
          )}
          {record && <Body id={id} analysis={analysis} onExportPerson={onExportPerson} />}
          {record && (
            <Group justify="space-between" gap="xs">
              <Text size="xs" c="dimmed" data-testid={`${id}-provenance`}>
                {record.provider === 'js'
                  ? 'JavaScript'
                  : record.provider === 'webgpu'
                    ? 'WebGPU'
                    : `WASM × ${record.threads}`}
                {' · '}
                {record.durationMs} ms · v{record.version}
                {record.source === 'edited' ? ` · edited v${record.editRevision ?? '?'}` : ''}
              </Text>
              <Button
                size="compact-xs"
                variant="subtle"
                disabled={pending}
                onClick={() => void enqueue([image.id], [id])}
              >
                Run again
              </Button>
            </Group>
          )}
          {!record && !pending && (
            <Button
              size="compact-xs"
              variant="light"
              onClick={() => void enqueue([image.id], [id])}
            >
              Run {label.toLowerCase()}
            </Button>
          )}
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  )
}

function Body({
  id,
  analysis,
  onExportPerson,
}: {
  id: TaskId
  analysis: Analysis
  onExportPerson(kind: 'cutout' | 'blur'): void
}) {
  const { results, view, update } = analysis
  const list = {
    minScore: view.minScore[id],
    highlight: view.highlight,
    onHighlight: (highlight: typeof view.highlight) => update({ highlight }),
  }
  switch (id) {
    case 'object-detection':
      return results?.[id] ? <ObjectsList output={results[id].output} {...list} /> : null
    case 'face-detection':
      return results?.[id] ? (
        <FacesList
          output={results[id].output}
          showMesh={view.showMesh}
          onShowMesh={(showMesh) => update({ showMesh })}
          {...list}
        />
      ) : null
    case 'text-recognition':
      return results?.[id] ? <TextList output={results[id].output} {...list} /> : null
    case 'person-segmentation':
      return results?.[id] ? (
        <PersonSummary output={results[id].output} onExport={onExportPerson} />
      ) : null
    case 'image-properties':
      return results?.[id] ? <PropertiesSummary output={results[id].output} /> : null
  }
}
