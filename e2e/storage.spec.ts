import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import chromium from './chromium.json' with { type: 'json' }
import { withoutAutoAnalysis } from './settings'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
// Real photos, all distinct and all importable: about 1.6 MB of originals.
const photos = [
  'astronaut.jpg',
  'butterfly.jpg',
  'camera.png',
  'chelsea.png',
  'dog.jpg',
  'exif-orientation-6.jpg',
  'fruits.jpg',
  'horses.jpg',
  'messi5.jpg',
  'page.png',
  'portrait.jpg',
  'rocket.jpg',
  'squirrel.jpg',
  'text.png',
]
/** Room left for the library once the empty app is loaded: about half of the photos fit. */
const roomBytes = 800_000

const cells = (page: Page) => page.getByRole('grid', { name: 'Images' }).getByRole('gridcell')
const summary = (page: Page) => page.getByTestId('import-summary')
const levelNotice = (page: Page) => page.getByTestId('storage-level')

/** Sets a real quota for the page's origin; Chromium enforces it on IndexedDB writes. */
async function forceQuota(page: Page, quotaSize: number) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(page.url()).origin,
    quotaSize,
  })
  expect((await page.evaluate(() => navigator.storage.estimate())).quota).toBe(quotaSize)
}

const usageOf = async (page: Page) =>
  (await page.evaluate(() => navigator.storage.estimate())).usage!

test.use({
  // Chromium answers navigator.storage.estimate() with a made-up quota (usage + 10 GiB) unless
  // StaticStorageQuota is off; with it off, estimate() reports the quota forced below. The
  // flag replaces Playwright's own --disable-features list (Chromium keeps the last one), which
  // this spec does not depend on.
  launchOptions: {
    ...chromium,
    args: [...chromium.args, '--disable-features=StaticStorageQuota'],
  },
  // The service worker's precache would fill the small quota before the library does.
  serviceWorkers: 'block',
})

test.describe('storage guardian', () => {
  test.beforeEach(({ context }) => withoutAutoAnalysis(context))

  test('an import that runs out of space says what was not stored and loses nothing stored', async ({
    page,
  }) => {
    test.setTimeout(120_000)
    await page.goto('/library')
    await expect(page.getByText('Your library is empty')).toBeVisible()
    await forceQuota(page, (await usageOf(page)) + roomBytes)

    await page.getByTestId('import-input').setInputFiles(photos.map((n) => join(fixtures, n)))

    // The report says how many images were not stored, names each, and says why.
    const full = summary(page).getByTestId('import-storage-full')
    await expect(full).toBeVisible({ timeout: 60_000 })
    await expect(summary(page)).toContainText('Import stopped')
    const notStoredItems = full.getByRole('list', { name: 'Not stored' }).getByRole('listitem')
    const notStoredText = await notStoredItems.allTextContents()
    const notStored = photos.filter((name) => notStoredText.some((text) => text.startsWith(name)))
    expect(notStored.length).toBe(notStoredText.length)
    expect(notStored.length).toBeGreaterThan(0)
    for (const text of notStoredText) expect(text).toMatch(/storage (is|was) full/)
    const images = notStored.length === 1 ? '1 image was' : `${notStored.length} images were`
    await expect(full).toContainText(`Storage is full: ${images} not imported.`)
    const stored = photos.filter((name) => !notStored.includes(name))
    expect(stored.length).toBeGreaterThan(0)
    await expect(summary(page)).toHaveAttribute('data-added', String(stored.length))

    // The guardian says so too, in view, with the way to Settings → Storage.
    await expect(levelNotice(page)).toHaveAttribute('data-level', 'full')
    await expect(levelNotice(page)).toContainText('Storage is full')
    await expect(levelNotice(page)).toBeInViewport()
    await expect(
      levelNotice(page).getByRole('link', { name: 'Open storage settings' }),
    ).toHaveAttribute('href', '/settings#storage')

    // Persistent storage was asked for after this first import; headless Chromium refuses it,
    // so the guardian explains the risk, once.
    const persistence = page.getByTestId('storage-persistence')
    await expect(persistence).toContainText('not installed or have not been visited for a while')
    await persistence.getByRole('button', { name: 'Not now' }).click()
    await expect(persistence).toBeHidden()

    // Everything stored before storage ran out is still there after a reload, and opens.
    await page.reload()
    await expect(cells(page)).toHaveCount(stored.length)
    for (const name of stored) {
      await page.getByRole('gridcell', { name }).dblclick()
      const viewer = page.getByRole('dialog', { name })
      await expect(viewer).toBeVisible()
      await expect
        .poll(() =>
          viewer
            .locator('img')
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
        )
        .toBeGreaterThan(0)
      await page.keyboard.press('Escape')
      await expect(viewer).toBeHidden()
    }
    // Still full after the reload (nothing was freed); the persistence notice stays closed.
    await expect(levelNotice(page)).toHaveAttribute('data-level', 'full')
    await expect(persistence).toBeHidden()

    await page.goto('/settings#storage')
    const card = page.locator('#storage')
    await expect(card).toContainText(`${stored.length} images`)
    await expect(card.getByTestId('storage-level')).toHaveAttribute('data-level', 'full')
    await expect(card.getByRole('progressbar', { name: 'Storage used' })).toBeVisible()
    await expect(card.getByRole('list', { name: 'Storage used by kind' })).toContainText(
      'Images, thumbnails and results',
    )
    await expect(card.getByRole('button', { name: 'Keep my library on this device' })).toBeVisible()
  })

  test('warns from 80 % of the quota, and again from 95 %', async ({ page }) => {
    await page.goto('/library')
    await expect(page.getByText('Your library is empty')).toBeVisible()
    await page
      .getByTestId('import-input')
      .setInputFiles(['butterfly.jpg', 'rocket.jpg', 'fruits.jpg'].map((n) => join(fixtures, n)))
    await expect(summary(page)).toHaveAttribute('data-added', '3')
    await summary(page).getByRole('button', { name: 'Close import report' }).click()
    await expect(levelNotice(page)).toBeHidden()

    // The same library under a smaller quota: 85 % used.
    await forceQuota(page, Math.ceil((await usageOf(page)) / 0.85))
    await page.reload()
    await expect(levelNotice(page)).toHaveAttribute('data-level', 'warning')
    await expect(levelNotice(page)).toContainText('Storage is filling up')
    await expect(levelNotice(page)).toContainText(/Sightline uses 8\d% of the space/)
    await expect(levelNotice(page)).toBeInViewport()

    // Dismissed, it stays away while the level stays the same…
    await levelNotice(page).getByRole('button', { name: 'Dismiss storage warning' }).click()
    await expect(levelNotice(page)).toBeHidden()
    await page.reload()
    await expect(cells(page)).toHaveCount(3)
    await expect(levelNotice(page)).toBeHidden()

    // …and comes back, stronger, when the level rises: 97 % used.
    await forceQuota(page, Math.ceil((await usageOf(page)) / 0.97))
    await page.reload()
    await expect(levelNotice(page)).toHaveAttribute('data-level', 'critical')
    await expect(levelNotice(page)).toContainText('Storage is almost full')

    await levelNotice(page).getByRole('link', { name: 'Open storage settings' }).click()
    await expect(page).toHaveURL(/\/settings#storage$/)
    const card = page.locator('#storage')
    await expect(card.getByTestId('storage-level')).toHaveAttribute('data-level', 'critical')
    await expect(card).toContainText(/used of .* this browser allows Sightline \(9\d%\)/)
  })
})
