import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { withoutAutoAnalysis } from './settings'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const cells = (page: Page) => page.getByRole('grid', { name: 'Images' }).getByRole('gridcell')
const summary = (page: Page) => page.getByTestId('import-summary')

/** A DataTransfer in the page holding fixture files, as a drag or the clipboard would. */
function dataTransferOf(page: Page, names: string[], type: string) {
  const files = names.map((name) => ({
    name,
    type,
    base64: readFileSync(join(fixtures, name), 'base64'),
  }))
  return page.evaluateHandle((files) => {
    const data = new DataTransfer()
    for (const f of files) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
      data.items.add(new File([bytes], f.name, { type: f.type }))
    }
    return data
  }, files)
}

test.describe('import sources', () => {
  test.beforeEach(({ context }) => withoutAutoAnalysis(context))

  test('imports images pasted from the clipboard', async ({ page }) => {
    await page.goto('/library')
    await expect(page.getByText('Your library is empty')).toBeVisible()

    const data = await dataTransferOf(page, ['squirrel.jpg'], 'image/jpeg')
    await page.evaluate((clipboardData) => {
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true }))
    }, data)

    await expect(summary(page)).toHaveAttribute('data-added', '1')
    await expect(page.getByRole('gridcell', { name: 'squirrel.jpg' })).toBeVisible()
  })

  test('imports several files dropped on the window', async ({ page }) => {
    await page.goto('/library')
    await expect(page.getByText('Your library is empty')).toBeVisible()
    await expect(page.getByTestId('import-dropzone')).toBeAttached()

    const names = ['fruits.jpg', 'rocket.jpg', 'butterfly.jpg']
    const data = await dataTransferOf(page, names, 'image/jpeg')
    await page.evaluate((dataTransfer) => {
      const fire = (target: EventTarget, type: string) =>
        target.dispatchEvent(new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true }))
      fire(document, 'dragenter')
      const zone = document.querySelector('[data-testid="import-dropzone"]')!
      fire(zone, 'dragenter')
      fire(zone, 'dragover')
      fire(zone, 'drop')
    }, data)

    await expect(summary(page)).toHaveAttribute('data-added', '3')
    await expect(cells(page)).toHaveCount(3)
  })

  test('imports a chosen folder with its subfolders and skips what is not an image', async ({
    page,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-folder-'))
    mkdirSync(join(dir, 'trip', 'day 2'), { recursive: true })
    copyFileSync(join(fixtures, 'fruits.jpg'), join(dir, 'trip', 'fruits.jpg'))
    copyFileSync(join(fixtures, 'camera.png'), join(dir, 'trip', 'day 2', 'camera.png'))
    writeFileSync(join(dir, 'trip', 'notes.txt'), 'not a photo')
    try {
      await page.goto('/library')
      await expect(page.getByText('Your library is empty')).toBeVisible()
      await page.getByLabel('Choose a folder to import').setInputFiles(join(dir, 'trip'))

      await expect(summary(page)).toHaveAttribute('data-added', '2')
      await expect(summary(page)).toContainText('1 skipped')
      await expect(page.getByRole('gridcell', { name: 'camera.png' })).toBeVisible()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('cancels a long import and keeps what was already stored', async ({ page }) => {
    // Distinct files from one real photo: bytes after a PNG's IEND chunk are ignored by
    // decoders but change the SHA-256, so none is a duplicate of another.
    const dir = mkdtempSync(join(tmpdir(), 'sightline-cancel-'))
    const photo = readFileSync(join(fixtures, 'chelsea.png'))
    const paths = Array.from({ length: 300 }, (_, i) => {
      const path = join(dir, `chelsea-${String(i).padStart(3, '0')}.png`)
      writeFileSync(path, Buffer.concat([photo, Buffer.from(`copy ${i}`)]))
      return path
    })
    try {
      await page.goto('/library')
      await page.getByTestId('import-input').setInputFiles(paths)
      await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible()
      await page.getByRole('button', { name: 'Cancel import' }).click()

      await expect(summary(page)).toContainText('Import cancelled')
      const added = Number(await summary(page).getAttribute('data-added'))
      expect(added).toBeLessThan(paths.length)
      await expect(summary(page)).toContainText('not started')
      await page.reload()
      const count = added === 1 ? '1 image' : `${added} images`
      await expect(page.getByText(count, { exact: true })).toBeVisible()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('keeps the library when the browser is closed and started again', async ({
    playwright,
  }, testInfo) => {
    const profile = mkdtempSync(join(tmpdir(), 'sightline-profile-'))
    const { baseURL, launchOptions } = testInfo.project.use
    const open = async () => {
      const context = await playwright.chromium.launchPersistentContext(profile, {
        ...launchOptions,
        baseURL,
      })
      await withoutAutoAnalysis(context)
      const page = context.pages()[0] ?? (await context.newPage())
      await page.goto('/library')
      return { context, page }
    }
    try {
      const first = await open()
      await first.page.getByTestId('import-input').setInputFiles(join(fixtures, 'fruits.jpg'))
      await expect(summary(first.page)).toHaveAttribute('data-added', '1')
      await first.context.close()

      const second = await open()
      await expect(second.page.getByRole('gridcell', { name: 'fruits.jpg' })).toBeVisible()
      await second.context.close()
    } finally {
      rmSync(profile, { recursive: true, force: true })
    }
  })
})
