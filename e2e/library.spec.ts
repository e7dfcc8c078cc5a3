import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { unzipSync } from 'fflate'
import { withoutAutoAnalysis } from './settings'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const photos = [
  'butterfly.jpg',
  'camera.png',
  'chelsea.png',
  'fruits.jpg',
  'portrait.jpg',
  'rocket.jpg',
  'exif-orientation-6.jpg',
  'squirrel.webp',
  'butterfly-animated.gif',
  'fruits.bmp',
  'chelsea.avif',
]
const broken = ['corrupt.jpg', 'truncated.jpg', 'not-an-image.png', 'chelsea.heic']

const cells = (page: Page) => page.getByRole('grid', { name: 'Images' }).getByRole('gridcell')
const summary = (page: Page) => page.getByTestId('import-summary')

async function importFiles(page: Page, names: string[]) {
  await page.getByTestId('import-input').setInputFiles(names.map((n) => join(fixtures, n)))
}

/** Every thumbnail currently rendered has decoded pixels. */
async function thumbnailsDecoded(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLImageElement>('[role="gridcell"] img')].every(
      (img) => img.complete && img.naturalWidth > 0,
    ),
  )
}

/** Scale and translation of the viewer's zoom layer, from its CSS transform matrix. */
async function zoomOf(page: Page): Promise<{ scale: number; x: number; y: number }> {
  return page.locator('.react-transform-component').evaluate((el) => {
    const m = new DOMMatrix(getComputedStyle(el).transform)
    return { scale: m.a, x: m.e, y: m.f }
  })
}

/** The zoom once it has stopped moving: the same in two reads 300 ms apart (else NaN). */
async function settledScale(page: Page): Promise<number> {
  const first = (await zoomOf(page)).scale
  await page.waitForTimeout(300)
  const second = (await zoomOf(page)).scale
  return first === second ? second : Number.NaN
}

// One browser profile for the whole walk-through, as one person would use the library.
test.describe('library', () => {
  test.describe.configure({ mode: 'serial' })
  test.setTimeout(120_000)

  let context: BrowserContext
  let page: Page
  test.beforeAll(async ({ browser }, testInfo) => {
    const { baseURL, viewport } = testInfo.project.use
    context = await browser.newContext({
      baseURL,
      viewport,
      acceptDownloads: true,
      serviceWorkers: 'block',
    })
    await withoutAutoAnalysis(context)
    page = await context.newPage()
  })
  test.afterAll(async () => {
    await context.close()
  })

  test('imports real photos, reports the broken files, and keeps them across a reload', async () => {
    await page.goto('/library')
    await expect(page.getByText('Your library is empty')).toBeVisible()

    await importFiles(page, [...photos, ...broken])

    await expect(summary(page)).toHaveAttribute('data-added', String(photos.length), {
      timeout: 60_000,
    })
    await summary(page).getByRole('button', { name: 'Show details' }).click()
    const failed = page.getByRole('list', { name: 'Could not be imported' })
    for (const name of broken) await expect(failed).toContainText(name)
    await expect(failed).toContainText('HEIC')

    await expect(cells(page)).toHaveCount(photos.length)
    await expect.poll(() => thumbnailsDecoded(page)).toBe(true)

    await page.reload()
    await expect(cells(page)).toHaveCount(photos.length)
    await expect.poll(() => thumbnailsDecoded(page)).toBe(true)
    for (const name of photos) await expect(page.getByRole('gridcell', { name })).toBeVisible()
  })

  test('does not store the same photo twice', async () => {
    await page.goto('/library')
    await expect(cells(page)).toHaveCount(photos.length)

    await importFiles(page, ['rocket.jpg'])

    await expect(summary(page)).toHaveAttribute('data-added', '0')
    await summary(page).getByRole('button', { name: 'Show details' }).click()
    await expect(page.getByRole('list', { name: 'Already in your library' })).toContainText(
      'rocket.jpg',
    )
    await expect(cells(page)).toHaveCount(photos.length)
  })

  test('deletes a photo and brings it back with undo', async () => {
    await page.goto('/library')
    const rocket = page.getByRole('gridcell', { name: 'rocket.jpg' })
    await rocket.click()
    await page.keyboard.press('Delete')

    await expect(rocket).toHaveCount(0)
    await expect(cells(page)).toHaveCount(photos.length - 1)

    await page.getByRole('button', { name: 'Undo' }).click()
    await expect(rocket).toBeVisible()
    await expect(cells(page)).toHaveCount(photos.length)
  })

  test('downloads a selection as a ZIP of the original bytes', async () => {
    await page.goto('/library')
    await expect(cells(page)).toHaveCount(photos.length)
    await page.getByRole('button', { name: 'Select all' }).click()
    await expect(page.getByText(`${photos.length} selected`)).toBeVisible()

    await page.getByRole('button', { name: 'Download' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Originals as ZIP' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.zip$/)

    const entries = unzipSync(new Uint8Array(await readFile((await download.path())!)))
    expect(Object.keys(entries).sort()).toEqual([...photos].sort())
    for (const name of photos) {
      expect(Buffer.from(entries[name]!).equals(readFileSync(join(fixtures, name)))).toBe(true)
    }
  })

  test('downloads the metadata of a selection as JSON', async () => {
    await page.goto('/library')
    await page.getByRole('gridcell', { name: 'exif-orientation-6.jpg' }).click()

    await page.getByRole('button', { name: 'Download' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Metadata as JSON' }).click(),
    ])
    const json = JSON.parse(await readFile((await download.path())!, 'utf8'))
    const records = Array.isArray(json) ? json : json.images
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ name: 'exif-orientation-6.jpg', orientation: 6 })
    expect(records[0].exif.gps).toBeDefined()
  })

  test('opens a photo with its metadata and steps to the next one', async () => {
    await page.goto('/library')
    await page.getByRole('gridcell', { name: 'exif-orientation-6.jpg' }).dblclick()

    const viewer = page.getByRole('dialog', { name: 'exif-orientation-6.jpg' })
    await expect(viewer).toBeVisible()
    const details = viewer.getByRole('complementary', { name: 'Image details' })
    await details.getByRole('tab', { name: 'Details' }).click()
    await expect(details).toContainText('Camera')
    await expect(details).toContainText('Location')
    await expect
      .poll(() =>
        viewer.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBeGreaterThan(0)

    // EXIF orientation 6: stored 480×320, shown upright as 320×480.
    expect(
      await viewer
        .locator('img')
        .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]),
    ).toEqual([320, 480])

    const [original] = await Promise.all([
      page.waitForEvent('download'),
      viewer.getByRole('button', { name: 'Download original' }).click(),
    ])
    expect(original.suggestedFilename()).toBe('exif-orientation-6.jpg')
    expect(
      (await readFile((await original.path())!)).equals(
        readFileSync(join(fixtures, 'exif-orientation-6.jpg')),
      ),
    ).toBe(true)

    await page.keyboard.press('+')
    await expect.poll(() => zoomOf(page)).toMatchObject({ scale: expect.closeTo(1.5, 1) })
    const before = await zoomOf(page)
    await page.keyboard.press('ArrowLeft')
    await expect.poll(async () => (await zoomOf(page)).x).toBeGreaterThan(before.x)
    await expect(viewer).toBeVisible()
    await page.keyboard.press('0')
    await expect.poll(async () => (await zoomOf(page)).scale).toBe(1)
    const box = (await viewer.locator('img').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, -400)
    // Wheel and double-click zooms animate; a reset pressed mid-animation can be overtaken by it.
    await expect.poll(() => settledScale(page)).toBeGreaterThan(1)
    await page.keyboard.press('0')
    await expect.poll(() => settledScale(page)).toBe(1)
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2)
    await expect.poll(() => settledScale(page)).toBeGreaterThan(1)
    await page.keyboard.press('0')
    await expect.poll(() => settledScale(page)).toBe(1)

    await page.keyboard.press('ArrowRight')
    await expect(page.getByRole('dialog', { name: 'exif-orientation-6.jpg' })).toHaveCount(0)
    await expect(page.getByRole('dialog')).toBeVisible()

    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog')).toHaveCount(0)
  })

  test('moves through the grid and selects with the keyboard', async () => {
    await page.goto('/library')
    const first = cells(page).first()
    await first.focus()
    await page.keyboard.press('ArrowRight')
    await expect(cells(page).nth(1)).toBeFocused()

    await page.keyboard.press('Space')
    await expect(page.getByText('1 selected')).toBeVisible()
    await page.keyboard.press('Shift+ArrowRight')
    await expect(page.getByText('2 selected')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByText(/\d+ selected/)).toHaveCount(0)

    await page.keyboard.press('ControlOrMeta+a')
    await expect(page.getByText(`${photos.length} selected`)).toBeVisible()
    await page.keyboard.press('Escape')
  })

  test('renames with F2, tags, and filters by tag and name', async () => {
    await page.goto('/library')
    const rocket = page.getByRole('gridcell', { name: 'rocket.jpg' })
    await rocket.click()
    await page.keyboard.press('F2')
    const rename = page.getByRole('dialog', { name: 'Rename image' })
    await rename.getByLabel('Name').fill('launch.jpg')
    await rename.getByLabel('Name').press('Enter')
    await expect(page.getByRole('gridcell', { name: 'launch.jpg' })).toBeVisible()

    await page.getByRole('gridcell', { name: 'launch.jpg' }).click()
    await page.getByRole('button', { name: 'Tags' }).click()
    const tags = page.getByRole('dialog', { name: 'Tags of 1 image' })
    await tags.getByLabel('Add tags').fill('Space')
    await tags.getByLabel('Add tags').press('Enter')
    await tags.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(tags).toHaveCount(0)
    await page.keyboard.press('Escape')

    await page.getByRole('combobox', { name: 'Filter by tag' }).click()
    await page.getByRole('option', { name: 'space (1)' }).click()
    await page.keyboard.press('Escape')
    await expect(cells(page)).toHaveCount(1)
    await expect(page.getByRole('gridcell', { name: 'launch.jpg' })).toBeVisible()

    await page.reload()
    await expect(cells(page)).toHaveCount(1)
    await page.getByRole('combobox', { name: 'Filter by tag' }).press('Backspace')
    await expect(cells(page)).toHaveCount(photos.length)

    await page.getByRole('combobox', { name: 'Sort by' }).click()
    await page.getByRole('option', { name: 'Name' }).click()
    await expect(cells(page).first()).toHaveAccessibleName('butterfly-animated.gif')
    await page.getByRole('button', { name: 'Sort descending' }).click()
    await expect(cells(page).first()).toHaveAccessibleName('squirrel.webp')

    await page.getByRole('textbox', { name: 'Filter by name' }).fill('BUTTER')
    await expect(cells(page)).toHaveCount(2)
    await page.getByRole('textbox', { name: 'Filter by name' }).fill('nothing-like-this')
    await expect(page.getByText('No images match these filters')).toBeVisible()
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expect(cells(page)).toHaveCount(photos.length)
  })

  test('shows storage used against the quota in Settings', async () => {
    await page.goto('/settings')
    await expect(page.getByText(`${photos.length} images`)).toBeVisible()
    await expect(page.getByRole('progressbar', { name: 'Storage used' })).toBeVisible()
    await expect(page.getByText(/used of .* this browser allows Sightline/)).toBeVisible()
  })
})
