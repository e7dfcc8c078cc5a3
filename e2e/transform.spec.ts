import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test'
import exifr from 'exifr'
import sharp from 'sharp'
import { withoutAutoAnalysis } from './settings'
import { openViewer } from './library'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

async function openEditor(page: Page, viewer: Locator, name: string) {
  await viewer.getByRole('button', { name: 'Edit image' }).click()
  const editor = page.getByRole('dialog', { name: `Edit ${name}` })
  // The first full-resolution render: the worker has opened the image.
  await expect(editor.getByRole('img', { name: `${name}, edited` })).toHaveAttribute(
    'data-resolution',
    'full',
    { timeout: 60_000 },
  )
  return editor
}

/** The full-resolution render of the recipe now shown (not an older one). */
async function settled(editor: Locator, name: string) {
  const picture = editor.getByRole('img', { name: `${name}, edited` })
  await expect(picture).toHaveAttribute('data-current', 'true', { timeout: 60_000 })
  await expect(picture).toHaveAttribute('data-resolution', 'full', { timeout: 60_000 })
  return picture
}

async function exportAs(page: Page, editor: Locator, format: 'PNG' | 'JPEG', savedAs: string) {
  await editor.getByRole('button', { name: 'Export…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export edited image' })
  await dialog.getByText(format, { exact: true }).click()
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    dialog.getByRole('button', { name: 'Export' }).click(),
  ])
  await copyFile(await download.path(), savedAs)
  return { name: download.suggestedFilename(), bytes: await readFile(savedAs) }
}

test.describe('transformation studio', () => {
  test.describe.configure({ mode: 'serial' })
  test.setTimeout(300_000)

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

  test('crops, rotates and equalises; compares, undoes, exports and re-imports the result', async () => {
    const testInfo = test.info()
    await page.goto('/library')
    await page.getByTestId('import-input').setInputFiles(join(fixtures, 'fruits.jpg'))
    const viewer = await openViewer(page, 'fruits.jpg')
    const editor = await openEditor(page, viewer, 'fruits.jpg')
    const steps = editor.getByRole('list', { name: 'Edit steps' }).getByRole('listitem')
    await expect(steps).toHaveCount(1)

    // 512 × 480 cropped to 16:9 is 512 × 288; a quarter turn makes it 288 × 512.
    await editor.getByRole('button', { name: 'Crop' }).click()
    await editor.getByLabel('Aspect ratio').click()
    await page.getByRole('option', { name: '16:9' }).click()
    await expect(editor.getByRole('group', { name: 'Crop area' })).toBeVisible()
    await editor.getByRole('button', { name: 'Rotate right' }).click()
    await editor.getByRole('button', { name: 'Add' }).click()
    await page.getByRole('menuitem', { name: 'Local contrast (CLAHE)' }).click()
    await expect(steps).toHaveCount(4)
    await expect(steps.nth(3)).toContainText('Local contrast (CLAHE)')
    const picture = await settled(editor, 'fruits.jpg')
    await expect(editor.getByText('Full resolution · 288 × 512')).toBeVisible()
    const withClahe = await picture.getAttribute('src')

    // Before/after: the divider moves with the keyboard.
    await editor.getByRole('button', { name: 'Compare before and after' }).click()
    const divider = editor.getByRole('slider', { name: 'Before and after' })
    await expect(divider).toHaveAttribute('aria-valuenow', '50')
    await divider.press('ArrowLeft')
    await expect(divider).toHaveAttribute('aria-valuenow', '48')
    await expect(editor.getByRole('img', { name: 'fruits.jpg (before)' })).toBeVisible()
    await editor.getByRole('button', { name: 'Compare before and after' }).click()

    // Undo takes the CLAHE step away and renders again; redo brings it back, undo again.
    await editor.getByRole('button', { name: 'Undo' }).click()
    await expect(steps).toHaveCount(3)
    await expect(editor.getByText('Local contrast (CLAHE)')).toHaveCount(0)
    await settled(editor, 'fruits.jpg')
    expect(await picture.getAttribute('src')).not.toBe(withClahe)
    await page.keyboard.press('Control+Shift+Z')
    await expect(steps).toHaveCount(4)
    await page.keyboard.press('Control+Z')
    await expect(steps).toHaveCount(3)

    const exported = await exportAs(page, editor, 'PNG', testInfo.outputPath('fruits-edited.png'))
    expect(exported.name).toBe('fruits-edited.png')
    const meta = await sharp(exported.bytes).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 288, 512])
    expect(meta.exif).toBeUndefined()

    await editor.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByText('Edit saved')).toBeVisible()
    await editor.getByRole('button', { name: 'Close the editor' }).click()
    await expect(viewer.getByRole('radio', { name: 'Edited (v1)' })).toBeChecked()

    // Analysis of the edited version says so.
    await viewer.getByRole('tab', { name: 'Analysis' }).click()
    await viewer.getByText('Edited version (v1)', { exact: true }).click()
    await expect(viewer.getByRole('radio', { name: 'Edited version (v1)' })).toBeChecked()
    await viewer.getByRole('button', { name: 'Run image properties' }).click()
    await expect(viewer.getByTestId('image-properties-provenance')).toContainText('edited v1', {
      timeout: 60_000,
    })
    await page.keyboard.press('Escape')
    await expect(
      page
        .getByRole('gridcell', { name: 'fruits.jpg' })
        .getByRole('img', { name: 'Edited', exact: true }),
    ).toBeVisible()

    // The export comes back into the library as a new image of the edited size.
    await page.getByTestId('import-input').setInputFiles(testInfo.outputPath('fruits-edited.png'))
    const reimported = await openViewer(page, 'fruits-edited.png')
    await reimported.getByRole('tab', { name: 'Details' }).click()
    await expect(reimported.getByText('288 × 512 px')).toBeVisible()
    await page.keyboard.press('Escape')
  })

  test('redacts the detected face: the face changes, the rest of the photo does not', async () => {
    const testInfo = test.info()
    await page.getByTestId('import-input').setInputFiles(join(fixtures, 'astronaut.jpg'))
    const viewer = await openViewer(page, 'astronaut.jpg')
    await viewer.getByRole('tab', { name: 'Analysis' }).click()
    await viewer.getByRole('button', { name: 'Run faces' }).click()
    await expect(viewer.getByTestId('face-count')).toHaveText('1 face', { timeout: 120_000 })

    const editor = await openEditor(page, viewer, 'astronaut.jpg')
    await editor.getByRole('button', { name: 'Redact' }).click()
    await page.getByRole('menuitem', { name: 'Redact faces', exact: true }).click()
    const region = editor.getByRole('button', { name: /^Redact Face 1/ })
    await expect(region).toHaveAttribute('aria-pressed', 'true')
    await settled(editor, 'astronaut.jpg')

    const exported = await exportAs(
      page,
      editor,
      'PNG',
      testInfo.outputPath('astronaut-redacted.png'),
    )
    const original = await readFile(join(fixtures, 'astronaut.jpg'))
    const style = await region.evaluate((element) => {
      const { left, top, width, height } = (element as HTMLElement).style
      return { left, top, width, height }
    })
    const rect = {
      x: parseFloat(style.left) / 100,
      y: parseFloat(style.top) / 100,
      width: parseFloat(style.width) / 100,
      height: parseFloat(style.height) / 100,
    }
    // Both decoded by the same browser, so untouched pixels compare exactly.
    const diff = await page.evaluate(
      async ({ before, after, rect }) => {
        const pixels = async (base64: string) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
          const bitmap = await createImageBitmap(new Blob([bytes]))
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
          const context = canvas.getContext('2d')!
          context.drawImage(bitmap, 0, 0)
          return context.getImageData(0, 0, bitmap.width, bitmap.height)
        }
        const [a, b] = await Promise.all([pixels(before), pixels(after)])
        if (a.width !== b.width || a.height !== b.height) return null
        const x0 = Math.floor(rect.x * a.width)
        const y0 = Math.floor(rect.y * a.height)
        const x1 = Math.ceil((rect.x + rect.width) * a.width)
        const y1 = Math.ceil((rect.y + rect.height) * a.height)
        let inside = 0
        let insideCount = 0
        let outsideMax = 0
        let outsideChanged = 0
        for (let y = 0; y < a.height; y++) {
          for (let x = 0; x < a.width; x++) {
            const i = (y * a.width + x) * 4
            const d =
              Math.abs(a.data[i]! - b.data[i]!) +
              Math.abs(a.data[i + 1]! - b.data[i + 1]!) +
              Math.abs(a.data[i + 2]! - b.data[i + 2]!)
            if (x >= x0 && x < x1 && y >= y0 && y < y1) {
              inside += d / 3
              insideCount++
            } else {
              outsideMax = Math.max(outsideMax, d)
              if (d > 0) outsideChanged++
            }
          }
        }
        return { insideMean: inside / insideCount, outsideMax, outsideChanged }
      },
      {
        before: original.toString('base64'),
        after: exported.bytes.toString('base64'),
        rect,
      },
    )
    expect(diff).not.toBeNull()
    expect(rect.width * rect.height).toBeGreaterThan(0.01)
    expect(diff!.insideMean).toBeGreaterThan(8)
    expect(diff!.outsideChanged).toBe(0)
    expect(diff!.outsideMax).toBe(0)

    // Switching the region off gives the photo back unchanged.
    await region.click()
    await expect(region).toHaveAttribute('aria-pressed', 'false')
    await settled(editor, 'astronaut.jpg')

    // Closing with unsaved changes asks first; discarding keeps the image unedited.
    await editor.getByRole('button', { name: 'Close the editor' }).click()
    const confirm = page.getByRole('dialog', { name: 'Discard your changes?' })
    await confirm.getByRole('button', { name: 'Discard' }).click()
    await expect(editor).toHaveCount(0)
    await expect(viewer.getByRole('radio', { name: /^Edited/ })).toHaveCount(0)
    await page.keyboard.press('Escape')
  })

  test('scans a photographed page, then pastes the copied edits onto a selection', async () => {
    await page.getByTestId('import-input').setInputFiles(join(fixtures, 'sudoku.jpg'))
    const viewer = await openViewer(page, 'sudoku.jpg')
    const editor = await openEditor(page, viewer, 'sudoku.jpg')
    await editor.getByRole('button', { name: 'Scan document' }).click()
    const steps = editor.getByRole('list', { name: 'Edit steps' }).getByRole('listitem')
    await expect(steps.nth(1)).toContainText('Straighten page')
    await expect(page.getByText('No page found')).toHaveCount(0)
    // The corners are on the page, well inside the photo's frame.
    const corner = editor.getByRole('button', { name: 'Top-left corner' })
    await expect(corner).toBeVisible()
    await editor
      .getByRole('switch', { name: 'Black and white (scanned look)' })
      .check({ force: true })
    await expect(steps).toHaveCount(3)
    await steps.nth(1).getByRole('button', { expanded: true }).click()
    await settled(editor, 'sudoku.jpg')
    // The grid of the 558 × 563 photo is about 460 px square once flattened.
    const size = (await editor.getByText(/^Full resolution · \d+ × \d+$/).innerText()).match(
      /(\d+) × (\d+)/,
    )!
    const [width, height] = [Number(size[1]), Number(size[2])]
    expect(width).toBeGreaterThan(440)
    expect(width).toBeLessThan(520)
    expect(height).toBeGreaterThan(420)
    expect(height).toBeLessThan(500)
    await editor.getByRole('button', { name: 'Copy edits' }).click()
    await expect(page.getByText('Edits copied')).toBeVisible()
    await editor.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByText('Edit saved')).toBeVisible()
    await editor.getByRole('button', { name: 'Close the editor' }).click()
    await page.keyboard.press('Escape')

    // The page straightening is tied to its photo; the black-and-white step pastes onto others.
    await page.getByRole('gridcell', { name: 'astronaut.jpg' }).click()
    await page
      .getByRole('gridcell', { name: 'fruits-edited.png' })
      .click({ modifiers: ['Control'] })
    await expect(page.getByText('2 selected')).toBeVisible()
    await page.getByRole('button', { name: 'Edits' }).click()
    await page.getByRole('menuitem', { name: 'Paste copied edits…' }).click()
    const batch = page.getByRole('dialog', { name: 'Paste edits onto 2 images' })
    await expect(batch.getByRole('listitem')).toHaveText([
      'Auto-orient (EXIF)',
      'Black & white (adaptive)',
    ])
    await batch.getByRole('button', { name: 'Apply to 2' }).click()
    await expect(batch.getByText('Saved 2 edited versions.')).toBeVisible({ timeout: 60_000 })
    await expect(
      page
        .getByRole('gridcell', { name: 'fruits-edited.png' })
        .getByRole('img', { name: 'Edited', exact: true }),
    ).toBeVisible()
    await batch.getByRole('button', { name: 'Undo' }).click()
    await expect(batch.getByText('Undone: the images are back as they were.')).toBeVisible()
    await expect(
      page
        .getByRole('gridcell', { name: 'fruits-edited.png' })
        .getByRole('img', { name: 'Edited', exact: true }),
    ).toHaveCount(0)
    await batch.getByRole('button', { name: 'Close' }).click()
  })

  test('exports without EXIF and GPS by default, and keeps them, upright, when asked', async () => {
    const testInfo = test.info()
    // Stored 480 × 320 with EXIF orientation 6, a camera, and a GPS position.
    await page.getByTestId('import-input').setInputFiles(join(fixtures, 'exif-orientation-6.jpg'))
    const viewer = await openViewer(page, 'exif-orientation-6.jpg')
    const editor = await openEditor(page, viewer, 'exif-orientation-6.jpg')
    await editor.getByRole('button', { name: 'Rotate right' }).click()
    await settled(editor, 'exif-orientation-6.jpg')

    const stripped = await exportAs(page, editor, 'JPEG', testInfo.outputPath('stripped.jpg'))
    const plain = await sharp(stripped.bytes).metadata()
    expect([plain.width, plain.height, plain.exif]).toEqual([480, 320, undefined])
    expect(await exifr.gps(stripped.bytes).catch(() => undefined)).toBeUndefined()

    await editor.getByRole('button', { name: 'Export…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export edited image' })
    await dialog.getByText('JPEG', { exact: true }).click()
    await dialog.getByRole('checkbox', { name: /Keep EXIF metadata/ }).check()
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      dialog.getByRole('button', { name: 'Export' }).click(),
    ])
    const kept = await readFile(await download.path())
    const tags = await exifr.parse(kept, { gps: true, translateValues: false })
    const source = await exifr.parse(join(fixtures, 'exif-orientation-6.jpg'), { gps: true })
    expect(tags.Make).toBe(source.Make)
    expect(tags.latitude).toBeCloseTo(source.latitude, 6)
    expect(tags.longitude).toBeCloseTo(source.longitude, 6)
    // The pixels are upright already: orientation 1, or viewers would turn them again.
    expect(tags.Orientation).toBe(1)
    const meta = await sharp(kept).metadata()
    expect([meta.width, meta.height]).toEqual([480, 320])
  })
})
