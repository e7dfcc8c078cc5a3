'use client'

import { useLocalStorage } from '@mantine/hooks'
import { taskIds, type TaskId } from '../../models'
import type { ProviderPreference } from '../../workers/inference-client'

export interface AnalysisSettings {
  /** Tasks run on every imported image. */
  autoTasks: TaskId[]
  provider: ProviderPreference
}

export const settingsKey = 'sightline.analysis-settings'

export const defaultAnalysisSettings: AnalysisSettings = {
  autoTasks: [...taskIds],
  provider: 'auto',
}

/** Reads the settings outside React (the queue runner and the import use them). */
export function readAnalysisSettings(): AnalysisSettings {
  try {
    const stored = JSON.parse(
      localStorage.getItem(settingsKey) ?? 'null',
    ) as Partial<AnalysisSettings> | null
    return {
      ...defaultAnalysisSettings,
      ...stored,
      autoTasks: (stored?.autoTasks ?? defaultAnalysisSettings.autoTasks).filter((id) =>
        taskIds.includes(id),
      ),
    }
  } catch {
    // Unreadable settings fall back to the defaults rather than breaking analysis.
    return defaultAnalysisSettings
  }
}

/** Which tasks run after import and where models run, remembered across visits. */
export function useAnalysisSettings() {
  const [settings, setSettings] = useLocalStorage<AnalysisSettings>({
    key: settingsKey,
    defaultValue: defaultAnalysisSettings,
    getInitialValueInEffect: true,
  })
  const update = (patch: Partial<AnalysisSettings>) => setSettings((s) => ({ ...s, ...patch }))
  return { settings, update }
}
