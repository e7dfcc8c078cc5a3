import { expect, test } from '@playwright/test'
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
}

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
