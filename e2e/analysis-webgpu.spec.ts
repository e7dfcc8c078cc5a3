import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Browser, type Page } from '@playwright/test'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

interface Stored {
  name: string
  task: string
  provider: string
  output: {
    faces?: { box: Box; score: number }[]
    objects?: { label: string; box: Box; score: number }[]
  }
}
interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** Imports the photos with only the detectors on, waits for the queue, and reads the results. */
async function analyseWith(browser: Browser, baseURL: string, provider: string): Promise<Stored[]> {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' })
  try {
    await context.addInitScript(
      (provider) =>
        localStorage.setItem(
          'sightline.analysis-settings',
          JSON.stringify({ autoTasks: ['face-detection', 'object-detection'], provider }),
        ),
      provider,
    )
    const page = await context.newPage()
    await page.goto('/library')
    await page
      .getByTestId('import-input')
      .setInputFiles(['astronaut.jpg', 'dog.jpg'].map((n) => join(fixtures, n)))
    await expect(page.getByTestId('analysis-status')).toContainText('4 of 4 analyses', {
      timeout: 480_000,
    })
    return await readResults(page)
  } finally {
    await context.close()
  }
}

function readResults(page: Page): Promise<Stored[]> {
  return page.evaluate(
    () =>
      new Promise<Stored[]>((resolve, reject) => {
        const open = indexedDB.open('sightline')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction(['results', 'images'])
          const results = tx.objectStore('results').getAll()
          const images = tx.objectStore('images').getAll()
          tx.oncomplete = () => {
            const names = new Map(
              images.result.map((i: { id: string; name: string }) => [i.id, i.name]),
            )
            resolve(
              results.result.map((r: Stored & { imageId: string }) => ({
                name: names.get(r.imageId)!,
                task: r.task,
                provider: r.provider,
                output: r.output,
              })),
            )
          }
        }
      }),
  )
}

const detections = (results: Stored[]) =>
  results
    .flatMap((r) =>
      [...(r.output.faces ?? []).map((f) => ({ ...f, label: 'face' })), ...(r.output.objects ?? [])]
        .filter((d) => d.score >= 0.5)
        .map((d) => ({ image: r.name, label: d.label, box: d.box, score: d.score })),
    )
    .sort((a, b) =>
      `${a.image}${a.label}${a.box.x}`.localeCompare(`${b.image}${b.label}${b.box.x}`),
    )

// Chromium's --enable-unsafe-webgpu gives a software (SwiftShader) adapter here: slow, but the
// WebGPU execution provider really runs, so its detections can be compared with WASM's.
test('WebGPU and WASM find the same faces and objects', async ({ playwright }, testInfo) => {
  test.setTimeout(900_000)
  const { baseURL, launchOptions } = testInfo.project.use
  const browser = await playwright.chromium.launch({
    ...launchOptions,
    args: [...(launchOptions?.args ?? []), '--enable-unsafe-webgpu'],
  })
  try {
    const wasm = await analyseWith(browser, baseURL!, 'wasm-threads')
    const webgpu = await analyseWith(browser, baseURL!, 'webgpu')

    expect(new Set(wasm.map((r) => r.provider))).toEqual(new Set(['wasm']))
    expect(new Set(webgpu.map((r) => r.provider))).toEqual(new Set(['webgpu']))

    const a = detections(wasm)
    const b = detections(webgpu)
    expect(a.length).toBeGreaterThanOrEqual(3)
    expect(b.map((d) => `${d.image} ${d.label}`)).toEqual(a.map((d) => `${d.image} ${d.label}`))
    for (const [i, d] of a.entries()) {
      const other = b[i]!
      expect(Math.abs(other.score - d.score)).toBeLessThan(0.01)
      for (const key of ['x', 'y', 'width', 'height'] as const) {
        expect(Math.abs(other.box[key] - d.box[key])).toBeLessThan(1)
      }
    }
  } finally {
    await browser.close()
  }
})
