'use client'

import { Card, Group, Loader, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import { inferencePlan, runtimeInfo, type RuntimeInfo } from '../../../workers/inference-client'
import { useAnalysisSettings } from '../../_hooks/use-analysis-settings'

/** Where models run on this device: provider, workers and threads, and why when it fell back. */
export function RuntimeCard() {
  const { settings } = useAnalysisSettings()
  const [info, setInfo] = useState<{ provider: string; runtime?: RuntimeInfo; error?: string }>()
  useEffect(() => {
    const controller = new AbortController()
    runtimeInfo(controller.signal).then(
      (runtime) => setInfo({ provider: settings.provider, runtime }),
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setInfo({ provider: settings.provider, error: String(error) })
        }
      },
    )
    return () => controller.abort()
  }, [settings.provider])
  const plan = inferencePlan()
  const current = info?.provider === settings.provider ? info : undefined
  return (
    <Card withBorder data-testid="runtime-card">
      <Text fw={600} mb={4}>
        On this device
      </Text>
      {!current ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Checking WebGPU and WASM…</Text>
        </Group>
      ) : current.runtime ? (
        <Text size="sm">
          Models run on{' '}
          <strong data-testid="runtime-provider">
            {current.runtime.provider === 'webgpu' ? 'WebGPU' : 'WebAssembly'}
          </strong>{' '}
          in {plan.workers} {plan.workers === 1 ? 'worker' : 'workers'} with{' '}
          {current.runtime.threads} {current.runtime.threads === 1 ? 'thread' : 'threads'} each.
          {current.runtime.fallback ? ` Note: ${current.runtime.fallback}.` : ''}
        </Text>
      ) : (
        <Text size="sm" c="red">
          The analysis worker could not start: {current.error}
        </Text>
      )}
    </Card>
  )
}
