import type { BrowserContext } from '@playwright/test'

/**
 * Turns off analysis after import for a context, so specs about the library do not load models
 * and compete for the two cores. Runs before the app's own scripts on every page load.
 */
export async function withoutAutoAnalysis(context: BrowserContext): Promise<void> {
  await context.addInitScript(() =>
    localStorage.setItem(
      'sightline.analysis-settings',
      JSON.stringify({ autoTasks: [], provider: 'auto' }),
    ),
  )
}
