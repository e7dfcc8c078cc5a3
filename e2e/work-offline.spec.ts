import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext } from '@playwright/test'
import { unzipSync } from 'fflate'
import { signInAsAdmin, synced } from './accounts'
import { installed } from './service-worker'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const photo = 'astronaut.jpg'
const renamed = 'astronaut-offline.jpg'
const tasks = [
  'image-properties',
  'text-recognition',
  'face-detection',
  'object-detection',
  'person-segmentation',
]

// Named to run after sync.spec.ts, which needs the suite's admin to be the first account.
test.use({ serviceWorkers: 'allow' })

/**
 * Cuts the network: Chromium's offline mode, and every request that still tries to leave the
 * browser (the service worker's included) refused and recorded.
 */
async function goOffline(context: BrowserContext): Promise<string[]> {
  const attempted: string[] = []
  await context.setOffline(true)
  await context.route('**/*', (route) => {
    const request = route.request()
    // Next's router prefetches pages' server payloads; offline it navigates from the cache instead.
    if (request.headers()['rsc'] !== '1') attempted.push(new URL(request.url()).pathname)
    return route.abort('internetdisconnected')
  })
  return attempted
}

async function goOnline(context: BrowserContext) {
  await context.unrouteAll({ behavior: 'ignoreErrors' })
  await context.setOffline(false)
}

test('after one visit everything but sync works offline, and sync catches up online', async ({
  context,
  page,
}) => {
  test.setTimeout(420_000)
  await context.addInitScript(
    (autoTasks) =>
      localStorage.setItem(
        'sightline.analysis-settings',
        JSON.stringify({ autoTasks, provider: 'wasm' }),
      ),
    tasks,
  )

  await test.step('first visit online: signed in, app and models stored', async () => {
    await signInAsAdmin(page)
    const syncSwitch = page.getByRole('switch', { name: 'Sync this library' })
    await expect(async () => {
      if (!(await syncSwitch.isChecked())) await syncSwitch.click({ timeout: 2_000 })
      await expect(syncSwitch).toBeChecked({ timeout: 2_000 })
    }).toPass()
    await page.goto('/library')
    await installed(page)
    await synced(page)
  })

  const attempted = await goOffline(context)

  await test.step('reload offline: the app comes from the service worker', async () => {
    await page.reload()
    await expect(page.getByTestId('network-status')).toHaveText('Offline')
    await expect(page.getByRole('heading', { name: 'Library', level: 2 })).toBeVisible()
    // Threads for analysis need it, and the cached pages keep it.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    // The account is known offline, so sync waits instead of turning off.
    await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-phase', 'offline')
  })

  await test.step('import a photo and run every analysis task', async () => {
    await page.getByTestId('import-input').setInputFiles(join(fixtures, photo))
    const status = page.getByTestId('analysis-status')
    await expect(status).toContainText('Analysis finished', { timeout: 300_000 })
    await expect(status).toContainText(`${tasks.length} of ${tasks.length} analyses`)
    await page.getByRole('gridcell', { name: photo }).dblclick()
    const viewer = page.getByRole('dialog', { name: photo })
    await expect(viewer.getByTestId('face-count')).toHaveText('1 face')
    await page.keyboard.press('Escape')
  })

  await test.step('edit: rename and tag', async () => {
    await page.getByRole('gridcell', { name: photo }).click()
    await page.keyboard.press('F2')
    const rename = page.getByRole('dialog', { name: 'Rename image' })
    await rename.getByLabel('Name').fill(renamed)
    await rename.getByLabel('Name').press('Enter')
    await page.getByRole('gridcell', { name: renamed }).click()
    await page.getByRole('button', { name: 'Tags' }).click()
    const tags = page.getByRole('dialog', { name: 'Tags of 1 image' })
    await tags.getByLabel('Add tags').fill('offline')
    await tags.getByLabel('Add tags').press('Enter')
    await tags.getByLabel('Add tags').press('Tab')
    await tags.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(tags).toHaveCount(0)
  })

  await test.step('search by name and by tag', async () => {
    await page.getByRole('textbox', { name: 'Filter by name' }).fill('offline')
    await expect(page.getByRole('grid', { name: 'Images' }).getByRole('gridcell')).toHaveCount(1)
    await page.getByRole('textbox', { name: 'Filter by name' }).fill('')
    await page.getByRole('combobox', { name: 'Filter by tag' }).click()
    await page.getByRole('option', { name: 'offline (1)' }).click()
    await page.keyboard.press('Escape')
    await expect(page.getByRole('grid', { name: 'Images' }).getByRole('gridcell')).toHaveCount(1)
  })

  await test.step('export the original', async () => {
    await page.getByRole('gridcell', { name: renamed }).click()
    await page.getByRole('button', { name: 'Download' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Originals as ZIP' }).click(),
    ])
    const entries = unzipSync(new Uint8Array(await readFile((await download.path())!)))
    expect(Buffer.from(entries[renamed]!).equals(await readFile(join(fixtures, photo)))).toBe(true)
  })

  await test.step('settings open and change offline', async () => {
    await page.getByRole('link', { name: 'Settings' }).click()
    await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible()
    await page.getByText('Dark', { exact: true }).click()
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark')
    await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-phase', 'offline')
  })

  // Sync tried nothing while offline; everything else came from the device.
  expect(attempted.filter((path) => !path.startsWith('/api/'))).toEqual([])

  await test.step('back online: the changes made offline sync by themselves', async () => {
    await goOnline(context)
    await expect(page.getByTestId('network-status')).toHaveCount(0)
    await synced(page)
    const pulled = (await (await page.request.get('/api/sync/pull?limit=1000')).json()) as {
      changes: { kind: string; id: string; data: { name?: string } }[]
    }
    const image = pulled.changes.find((c) => c.kind === 'image' && c.data.name === renamed)
    expect(image).toBeDefined()
    const results = pulled.changes.filter((c) => c.kind === 'result' && c.id.startsWith(image!.id))
    expect(results.map((c) => c.id.split(':')[1]).sort()).toEqual([...tasks].sort())
  })
})
