#!/usr/bin/env node
// Renders the manifest's screenshots (public/screenshots/, committed): the library with a few of
// the fixture photos, wide (1280×800) and narrow (412×915), from the production build in Debian's
// Chromium. Run after changing the library's look: `node scripts/make-screenshots.mjs`.

import { mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { importPhotos, root, runBench, startServer, withFreshBrowser } from '../bench/lib.mjs'

const photos = [
  'astronaut.jpg',
  'butterfly.jpg',
  'chelsea.png',
  'dog.jpg',
  'fruits.jpg',
  'horses.jpg',
  'messi5.jpg',
  'portrait.jpg',
  'rocket.jpg',
  'squirrel.jpg',
].map((name) => path.join(root, 'fixtures', name))

const shots = [
  { file: 'library-wide.webp', width: 1280, height: 800 },
  { file: 'library-narrow.webp', width: 412, height: 915 },
]

await runBench(async () => {
  const baseURL = await startServer({
    logFile: path.join(root, '.reports', 'screenshots-server.log'),
  })
  const outDir = path.join(root, 'public', 'screenshots')
  mkdirSync(outDir, { recursive: true })
  await withFreshBrowser(async (context, page) => {
    await context.addInitScript(() => {
      localStorage.setItem(
        'sightline.analysis-settings',
        JSON.stringify({ autoTasks: [], provider: 'auto' }),
      )
      localStorage.setItem('sightline.storage.persistence-notice-dismissed', 'screenshots')
      localStorage.setItem('mantine-color-scheme-value', 'light')
    })
    await page.goto(`${baseURL}/library`)
    // Files set before React hydrates the input would be ignored.
    await page.waitForFunction(() => {
      const input = document.querySelector('input[data-testid="import-input"]')
      return !!input && Object.keys(input).some((key) => key.startsWith('__reactProps'))
    })
    await importPhotos(page, photos, { batch: photos.length, timeoutMs: 120_000 })
    for (const { file, width, height } of shots) {
      await page.setViewportSize({ width, height })
      await page.reload()
      await page.locator('[role="gridcell"] img').first().waitFor()
      await page.waitForFunction(() =>
        [...document.querySelectorAll('[role="gridcell"] img')].every(
          (img) => img.complete && img.naturalWidth > 0,
        ),
      )
      await page.mouse.move(width - 1, height - 1)
      const png = await page.screenshot()
      await sharp(png).webp({ quality: 80 }).toFile(path.join(outDir, file))
      console.log(`wrote public/screenshots/${file} (${width}×${height})`)
    }
  })
})
