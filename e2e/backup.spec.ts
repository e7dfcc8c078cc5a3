import { createHash } from 'node:crypto'
import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { withoutAutoAnalysis } from './settings'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const photos = ['dog.jpg', 'fruits.jpg', 'camera.png']

/** Every page load in `context` analyses new imports with image properties only (no model). */
async function onlyImageProperties(context: BrowserContext) {
  await context.addInitScript(() =>
    localStorage.setItem(
      'sightline.analysis-settings',
      JSON.stringify({ autoTasks: ['image-properties'], provider: 'auto' }),
    ),
  )
}

/** What a backup must carry over, read straight from the profile's IndexedDB. */
function readLibrary(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('sightline')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll()
        request.onsuccess = () => resolve(request.result as T[])
        request.onerror = () => reject(request.error)
      })
    const files = async (store: string) =>
      Promise.all(
        (await all<{ id: string; blob: Blob }>(store)).map(async ({ id, blob }) => {
          const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
          const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0'))
          return { id, type: blob.type, bytes: blob.size, sha256: sha256.join('') }
        }),
      )
    const byId = <T extends { id: string }>(rows: T[]) =>
      rows.sort((a, b) => a.id.localeCompare(b.id))
    const library = {
      images: byId(await all<{ id: string; name: string; hash: string; bytes: number }>('images')),
      originals: byId(await files('originals')),
      thumbnails: byId(await files('thumbnails')),
      results: await all<{ imageId: string; task: string }>('results'),
    }
    db.close()
    return library
  })
}

async function exportLibrary(page: Page, savedAs: string) {
  await page.goto('/settings')
  // Retried: a click before hydration is lost.
  await expect(async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      page.getByTestId('backup-export').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^sightline-library-\d{4}-\d{2}-\d{2}\.zip$/)
    await copyFile(await download.path(), savedAs)
  }).toPass({ timeout: 60_000 })
  await expect(page.getByTestId('backup-export-summary')).toContainText(
    '3 images and 3 analysis results',
  )
}

const summary = (page: Page) => page.getByTestId('backup-import-summary')
const error = (page: Page) => page.getByTestId('backup-error')

test.describe('backup', () => {
  test.setTimeout(180_000)

  test('a library exported in one profile comes back whole in a fresh one', async ({
    browser,
  }, testInfo) => {
    const { baseURL, viewport } = testInfo.project.use
    const backupPath = testInfo.outputPath('library.zip')

    const first = await browser.newContext({ baseURL, viewport, acceptDownloads: true })
    await onlyImageProperties(first)
    const before = await (async () => {
      const page = await first.newPage()
      await page.goto('/library')
      await page.getByTestId('import-input').setInputFiles(photos.map((n) => join(fixtures, n)))
      await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', '3')
      const status = page.getByTestId('analysis-status')
      await expect(status).toContainText('Analysis finished', { timeout: 120_000 })
      await expect(status).toContainText('3 of 3 analyses')
      const library = await readLibrary(page)
      await exportLibrary(page, backupPath)
      return library
    })()
    await first.close()

    expect(before.images).toHaveLength(3)
    expect(before.results).toHaveLength(3)
    for (const name of photos) {
      const bytes = await readFile(join(fixtures, name))
      const image = before.images.find((i) => i.name === name)!
      expect(image.hash).toBe(createHash('sha256').update(bytes).digest('hex'))
      expect(before.originals.find((o) => o.id === image.id)).toMatchObject({
        bytes: bytes.length,
        sha256: image.hash,
      })
    }

    // A fresh profile: nothing shared with the first but the file.
    const second = await browser.newContext({ baseURL, viewport })
    await withoutAutoAnalysis(second)
    const page = await second.newPage()
    await page.goto('/settings')
    await expect(async () => {
      await page.getByTestId('backup-import-input').setInputFiles(backupPath)
      await expect(summary(page).or(page.getByTestId('backup-progress'))).toBeVisible({
        timeout: 2_000,
      })
    }).toPass({ timeout: 30_000 })
    await expect(summary(page)).toHaveAttribute('data-added', '3', { timeout: 60_000 })
    await expect(summary(page)).toHaveAttribute('data-already-there', '0')
    await expect(summary(page)).toHaveAttribute('data-failed', '0')
    await expect(summary(page)).toContainText('Added 3 images with 3 analysis results.')

    expect(await readLibrary(page)).toEqual(before)

    await page.getByTestId('backup-import-input').setInputFiles(backupPath)
    await expect(summary(page)).toHaveAttribute('data-already-there', '3', { timeout: 60_000 })
    await expect(summary(page)).toHaveAttribute('data-added', '0')
    await expect(summary(page)).toContainText('No images were added.')

    const backup = await readFile(backupPath)
    await page.getByTestId('backup-import-input').setInputFiles({
      name: 'cut-short.zip',
      mimeType: 'application/zip',
      buffer: backup.subarray(0, backup.length >> 1),
    })
    await expect(error(page)).toContainText('This file cannot be imported')
    await expect(error(page)).toContainText('not a ZIP archive, or it is damaged')
    await expect(error(page)).toContainText('Nothing was imported.')

    await page.goto('/library')
    await expect(page.getByRole('grid', { name: 'Images' }).getByRole('gridcell')).toHaveCount(3)
    expect((await readLibrary(page)).images).toEqual(before.images)
    await second.close()
  })
})
