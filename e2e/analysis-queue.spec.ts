import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { manifest as faceDetection } from '../models/face-detection/manifest'
import { manifest as objectDetection } from '../models/object-detection/manifest'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const status = (page: Page) => page.getByTestId('analysis-status')

async function importFiles(page: Page, names: string[]) {
  await page.getByTestId('import-input').setInputFiles(names.map((n) => join(fixtures, n)))
}

/** Analysis settings for every page load in `context`. */
async function analysisSettings(context: BrowserContext, autoTasks: string[], provider = 'auto') {
  await context.addInitScript(
    ({ autoTasks, provider }) =>
      localStorage.setItem('sightline.analysis-settings', JSON.stringify({ autoTasks, provider })),
    { autoTasks, provider },
  )
}

test.describe('analysis queue', () => {
  test.setTimeout(240_000)

  test('keeps queued work across a reload while paused, then finishes it', async ({
    page,
    context,
  }) => {
    await analysisSettings(context, ['image-properties', 'face-detection'])
    await page.goto('/library')
    await page.evaluate(() => localStorage.setItem('sightline.analysis-paused', 'true'))
    await page.reload()

    await importFiles(page, ['astronaut.jpg', 'fruits.jpg', 'chelsea.png'])
    await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', '3')
    await expect(status(page)).toContainText('Analysis paused')
    await expect(status(page)).toContainText('0 of 6 analyses')

    await page.reload()
    await expect(status(page)).toContainText('Analysis paused')
    await expect(status(page)).toContainText('0 of 6 analyses')

    await status(page).getByRole('button', { name: 'Resume' }).click()
    await expect(status(page)).toContainText('Analysis finished', { timeout: 180_000 })
    await expect(status(page)).toContainText('6 of 6 analyses')
  })

  test('shows a failure with its reason and goes on with the rest of the queue', async ({
    page,
    context,
  }) => {
    await analysisSettings(context, ['face-detection', 'image-properties'])
    const detector = `**/models/${faceDetection.files.detector.file}`
    await context.route(detector, (route) => route.fulfill({ status: 404, body: 'missing' }))
    await page.goto('/library')

    await importFiles(page, ['astronaut.jpg', 'fruits.jpg'])
    await expect(status(page)).toContainText('Analysis finished', { timeout: 180_000 })
    await expect(status(page)).toContainText('4 of 4 analyses, 2 failed')

    await status(page).getByRole('link', { name: 'See why' }).click()
    const failed = page.getByTestId('failed-jobs')
    await expect(failed.getByRole('row')).toHaveCount(3)
    await expect(failed).toContainText('Could not download the model')
    await expect(page.getByText('2 / 2').first()).toBeVisible()

    await context.unroute(detector)
    await page.getByRole('button', { name: 'Retry all' }).click()
    await expect(status(page)).toContainText('Analysis finished', { timeout: 180_000 })
    await expect(status(page)).toContainText('2 of 2 analyses')
    await expect(failed).toHaveCount(0)
  })

  test('says when it is downloading models for the first time', async ({ page, context }) => {
    await analysisSettings(context, ['object-detection'])
    let release = () => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    const model = `**/models/${objectDetection.files.detector.file}`
    await context.route(model, async (route) => {
      await released
      await route.continue()
    })
    await page.goto('/library')

    await importFiles(page, ['dog.jpg'])
    const downloads = status(page).getByTestId('model-downloads')
    await expect(downloads).toContainText('Downloading models for first use: 0 B of')
    release()
    await expect(status(page)).toContainText('Analysis finished', { timeout: 120_000 })
    await expect(downloads).toHaveCount(0)
  })
})
