'use client'

import { Card, Checkbox, Radio, Stack, Text, Title } from '@mantine/core'
import { registry, taskIds, type TaskId } from '../../models'
import type { ProviderPreference } from '../../workers/inference-client'
import { useAnalysisSettings } from '../_hooks/use-analysis-settings'

const providers: { value: ProviderPreference; label: string; description: string }[] = [
  {
    value: 'auto',
    label: 'Automatic',
    description: 'WebGPU on a real GPU, else WebAssembly with threads.',
  },
  {
    value: 'webgpu',
    label: 'WebGPU',
    description:
      'Even on a software adapter (slow); falls back to WebAssembly when there is no adapter.',
  },
  {
    value: 'wasm-threads',
    label: 'WebAssembly, threads',
    description: 'All CPU cores this app is given.',
  },
  {
    value: 'wasm',
    label: 'WebAssembly, one thread',
    description: 'Slowest; for comparison and old devices.',
  },
]

/** Which tasks run after import, and where models run. */
export function AnalysisSettingsCard() {
  const { settings, update } = useAnalysisSettings()
  return (
    <Card withBorder>
      <Stack gap="md">
        <Title order={3} fz="lg">
          Analysis
        </Title>
        <Checkbox.Group
          label="Run after import"
          description="Chosen tasks run on every imported image, on this device. You can run any task later from the image viewer."
          value={settings.autoTasks}
          onChange={(value) => update({ autoTasks: value as TaskId[] })}
        >
          <Stack gap={6} mt="xs">
            {taskIds.map((id) => (
              <Checkbox
                key={id}
                value={id}
                label={registry[id].manifest.label}
                description={registry[id].manifest.description}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        <Radio.Group
          label="Where models run"
          value={settings.provider}
          onChange={(value) => update({ provider: value as ProviderPreference })}
        >
          <Stack gap={6} mt="xs">
            {providers.map((p) => (
              <Radio key={p.value} value={p.value} label={p.label} description={p.description} />
            ))}
          </Stack>
        </Radio.Group>
        <Text size="xs" c="dimmed">
          Changing where models run restarts the analysis workers; queued work continues.
        </Text>
      </Stack>
    </Card>
  )
}
