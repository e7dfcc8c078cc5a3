import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import sharp from 'sharp'
import { installed } from './service-worker'
import { withoutAutoAnalysis } from './settings'

interface Manifest {
  name: string
  short_name: string
  start_url: string
  display: string
  theme_color: string
  background_color: string
  icons: { src: string; sizes: string; type: string; purpose?: string }[]
  shortcuts: { name: string; url: string }[]
  screenshots: { src: string; sizes: string; type: string; form_factor: string }[]
  share_target: {
    action: string
    method: string
    enctype: string
    params: { files: { name: string }[] }
  }
  file_handlers: { action: string; accept: Record<string, string[]> }[]
}

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const shared = ['rocket.jpg', 'squirrel.webp']
const serviceWorkerFile = fileURLToPath(new URL('../public/sw.js', import.meta.url))

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (bytes: Buffer) => `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`

test.describe('installable app', () => {
  test('the manifest describes the app with icons of the sizes it claims', async ({ request }) => {
    const response = await request.get('/manifest.webmanifest')
    expect(response.status()).toBe(200)
    const manifest = (await response.json()) as Manifest
    expect(manifest).toMatchObject({
      name: 'Sightline',
      short_name: 'Sightline',
      start_url: '/library',
      display: 'standalone',
    })
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/)
    const pngs = manifest.icons.filter((icon) => icon.type === 'image/png')
    expect(pngs.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ])
    for (const icon of pngs) {
      const image = await request.get(icon.src)
      expect(image.headers()['content-type']).toBe('image/png')
      expect(pngSize(await image.body())).toBe(icon.sizes)
    }
    expect(manifest.shortcuts.map((shortcut) => shortcut.url)).toEqual([
      '/library?import=1',
      '/library',
    ])
    expect(manifest.screenshots.map((shot) => shot.form_factor).sort()).toEqual(['narrow', 'wide'])
    for (const shot of manifest.screenshots) {
      const image = await request.get(shot.src)
      expect(image.headers()['content-type']).toBe(shot.type)
      const { width, height } = await sharp(await image.body()).metadata()
      expect(`${width}x${height}`).toBe(shot.sizes)
    }
    expect(manifest.share_target).toMatchObject({
      action: '/share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
      params: { files: [{ name: 'images' }] },
    })
    expect(manifest.file_handlers[0]?.accept['image/jpeg']).toContain('.jpg')
  })

  test('Chromium finds nothing in the manifest that stops installing', async ({ page }) => {
    await page.goto('/library')
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', /manifest/)
    const cdp = await page.context().newCDPSession(page)
    const { url, errors } = await cdp.send('Page.getAppManifest')
    expect(url).toMatch(/\/manifest\.webmanifest$/)
    expect(errors).toEqual([])
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors')
    // Playwright's browser contexts are off-the-record, where Chromium installs nothing at all.
    expect(installabilityErrors.map((error) => error.errorId)).toEqual(['in-incognito'])
  })

  test('the Install button uses the browser’s install offer once', async ({ page }) => {
    await page.goto('/library')
    await expect(page.getByRole('heading', { name: 'Library', level: 2 })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Install app' })).toHaveCount(0)
    // Chromium makes this offer only in a profile on disk, never in Playwright's off-the-record
    // contexts: the event is the browser's, dispatched here with the shape Chromium gives it.
    await expect(async () => {
      await page.evaluate(() => {
        const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
          prompt: async () => {
            document.body.dataset.installPrompted = 'yes'
          },
          userChoice: Promise.resolve({ outcome: 'accepted' }),
        })
        window.dispatchEvent(offer)
      })
      await expect(page.getByRole('button', { name: 'Install app' })).toBeVisible({
        timeout: 1_000,
      })
    }).toPass()
    await page.getByRole('button', { name: 'Install app' }).click()
    await expect(page.locator('body')).toHaveAttribute('data-install-prompted', 'yes')
    await expect(page.getByRole('button', { name: 'Install app' })).toHaveCount(0)
  })

  test('image files the installed app is opened with are imported', async ({ context, page }) => {
    await withoutAutoAnalysis(context)
    // Chromium fills `launchQueue` only for an installed app opened on files; here the queue is
    // the browser's boundary, given the shape Chromium's has.
    await context.addInitScript(() => {
      type Consumer = (params: { files: unknown[] }) => void
      const waiting: { files: unknown[] }[] = []
      let consumer: Consumer | undefined
      Object.defineProperty(window, 'launchQueue', {
        configurable: true,
        value: {
          setConsumer(next: Consumer) {
            consumer = next
            for (const params of waiting.splice(0)) next(params)
          },
        },
      })
      Object.assign(window, {
        launchFiles(files: { name: string; type: string; bytes: number[] }[]) {
          const params = {
            files: files.map(({ name, type, bytes }) => ({
              kind: 'file',
              name,
              getFile: async () => new File([new Uint8Array(bytes)], name, { type }),
            })),
          }
          if (consumer) consumer(params)
          else waiting.push(params)
        },
      })
    })
    await page.goto('/library')
    const files = shared.map((name) => ({
      name,
      type: name.endsWith('.webp') ? 'image/webp' : 'image/jpeg',
      bytes: [...readFileSync(join(fixtures, name))],
    }))
    await page.evaluate((launched) => {
      ;(window as unknown as { launchFiles(f: typeof launched): void }).launchFiles(launched)
    }, files)
    await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', '2')
    for (const name of shared) await expect(page.getByRole('gridcell', { name })).toBeVisible()
  })

  test('the Import shortcut asks for the one click a file picker needs', async ({
    context,
    page,
  }) => {
    await withoutAutoAnalysis(context)
    await page.goto('/library?import=1')
    const dialog = page.getByRole('dialog', { name: 'Import images' })
    await expect(dialog).toBeVisible()
    const chooser = page.waitForEvent('filechooser')
    await dialog.getByRole('button', { name: 'Choose images' }).click()
    expect((await chooser).isMultiple()).toBe(true)
    await expect(dialog).toBeHidden()
    await expect(page).toHaveURL(/\/library$/)
  })
})

test.describe('service worker', () => {
  test.use({ serviceWorkers: 'allow' })

  test('images shared from another app are imported', async ({ context, page }) => {
    await withoutAutoAnalysis(context)
    await page.goto('/library')
    await installed(page)
    // What the system share sheet does with the manifest's share_target: a multipart POST.
    await page.evaluate(() => {
      const form = Object.assign(document.createElement('form'), {
        method: 'post',
        enctype: 'multipart/form-data',
        action: '/share-target',
      })
      const input = Object.assign(document.createElement('input'), {
        type: 'file',
        name: 'images',
        multiple: true,
        id: 'shared-images',
      })
      form.append(input)
      document.body.append(form)
    })
    await page.locator('#shared-images').setInputFiles(shared.map((name) => join(fixtures, name)))
    await page.evaluate(() =>
      (document.querySelector('#shared-images') as HTMLInputElement).form!.submit(),
    )
    await expect(page.getByTestId('import-summary')).toHaveAttribute('data-added', '2')
    for (const name of shared) await expect(page.getByRole('gridcell', { name })).toBeVisible()
    await expect(page).toHaveURL(/\/library$/)
    // The service worker's copies are gone once imported.
    expect(
      await page.evaluate(
        async () => (await (await caches.open('sightline-shared')).keys()).length,
      ),
    ).toBe(0)
  })

  test('a new version waits for the user, then reloads into it', async ({ context, page }) => {
    test.skip(!!process.env.E2E_BASE_URL, 'deploys a new service worker into this build')
    await withoutAutoAnalysis(context)
    await page.goto('/library')
    await installed(page)
    // A deploy: the same precache list in a different script. (Playwright's routing does not see
    // the browser's update check, so the file itself changes until the end of the test.)
    const current = readFileSync(serviceWorkerFile, 'utf8')
    writeFileSync(serviceWorkerFile, `${current}\n// next version\n`)
    try {
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())!.update()
      })
      const prompt = page.getByTestId('update-prompt')
      await expect(prompt).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
      // Nothing switched under the open tab.
      const waiting = () =>
        page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())!.waiting)
      expect(await waiting()).toBe(true)

      const reloaded = page.waitForEvent('load')
      await prompt.getByRole('button', { name: 'Reload' }).click()
      await reloaded
      await expect(page.getByTestId('update-prompt')).toHaveCount(0)
      expect(await waiting()).toBe(false)
      expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
    } finally {
      writeFileSync(serviceWorkerFile, current)
    }
  })

  test('a page it has not stored says it is offline', async ({ context, page }) => {
    await withoutAutoAnalysis(context)
    await page.goto('/library')
    await installed(page)
    await context.setOffline(true)
    await page.goto('/no-such-page')
    await expect(page.getByRole('heading', { name: 'You are offline' })).toBeVisible()
    await page.getByRole('link', { name: 'Open the library' }).click()
    await expect(page.getByText('Your library is empty')).toBeVisible()
    await context.setOffline(false)
  })
})
