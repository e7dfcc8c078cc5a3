import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
  type TestInfo,
} from '@playwright/test'
import { admin, password, synced } from './accounts'
import { withoutAutoAnalysis } from './settings'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
// Each run of the suite gets a fresh gateway (playwright.config.ts), but keep emails unique anyway.
const run = Date.now().toString(36)
// The gateway's first account, so its admin (e2e/accounts.ts).
const alice = admin
const mallory = `mallory-${run}@example.com`

async function device(browser: Browser, testInfo: TestInfo, autoTasks: string[] = []) {
  const { baseURL, viewport } = testInfo.project.use
  const context = await browser.newContext({ baseURL, viewport, serviceWorkers: 'block' })
  if (autoTasks.length === 0) {
    await withoutAutoAnalysis(context)
  } else {
    await context.addInitScript((tasks) => {
      localStorage.setItem(
        'sightline.analysis-settings',
        JSON.stringify({ autoTasks: tasks, provider: 'wasm' }),
      )
    }, autoTasks)
  }
  return { context, page: await context.newPage() }
}

async function signIn(page: Page, email: string, mode: 'Sign in' | 'Create account') {
  await page.goto('/settings')
  if (mode === 'Create account') await page.getByRole('tab', { name: 'Create account' }).click()
  const form = page.getByRole('form', { name: mode })
  await form.getByLabel('Email').fill(email)
  await form.getByRole('textbox', { name: 'Password' }).fill(password)
  await form.getByRole('button', { name: mode }).click()
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible()
}

test.describe('sync between devices', () => {
  test.describe.configure({ mode: 'serial' })
  test.setTimeout(240_000)

  let a: { context: BrowserContext; page: Page }
  let b: { context: BrowserContext; page: Page }
  let m: { context: BrowserContext; page: Page }

  test.afterAll(async () => {
    await a?.context.close()
    await b?.context.close()
    await m?.context.close()
  })

  test('an image analysed on device A appears with its results on device B', async ({
    browser,
  }, testInfo) => {
    a = await device(browser, testInfo, ['object-detection'])
    await signIn(a.page, alice, 'Create account')
    await a.page.goto('/library')
    await a.page.getByTestId('import-input').setInputFiles(join(fixtures, 'dog.jpg'))
    await expect(a.page.getByTestId('analysis-status')).toContainText('Analysis finished', {
      timeout: 120_000,
    })
    await synced(a.page)

    b = await device(browser, testInfo)
    await signIn(b.page, alice, 'Sign in')
    await b.page.goto('/library')
    const cell = b.page.getByRole('gridcell', { name: 'dog.jpg' })
    await expect(cell).toBeVisible({ timeout: 60_000 })
    await cell.dblclick()
    const viewer = b.page.getByRole('dialog', { name: 'dog.jpg' })
    await expect(viewer.getByTestId('objects-list')).toContainText('dog')
    await expect(viewer.getByTestId('objects-list')).toContainText('bicycle')
    // The original came across byte for byte (its SHA-256 is checked on download) and shows.
    await expect(viewer.locator('img').first()).toHaveJSProperty('naturalWidth', 768)
    await b.page.keyboard.press('Escape')
  })

  test('an edit made offline on device B syncs when it is back online', async () => {
    await b.context.setOffline(true)
    await expect(b.page.getByTestId('sync-indicator')).toHaveAttribute('data-phase', 'offline')
    await b.page.getByRole('gridcell', { name: 'dog.jpg' }).click()
    await b.page.getByRole('button', { name: 'Tags' }).click()
    const tags = b.page.getByRole('dialog', { name: 'Tags of 1 image' })
    await tags.getByLabel('Add tags').fill('walk')
    await tags.getByLabel('Add tags').press('Enter')
    // Close the suggestions (the tags found on A) that cover the button.
    await tags.getByLabel('Add tags').press('Tab')
    await tags.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(b.page.getByTestId('sync-indicator')).toHaveAttribute(
      'aria-label',
      'Offline: 1 change waiting',
    )

    await b.context.setOffline(false)
    await synced(b.page)

    // Device A pulls when it comes back to the tab (a reload here) and shows B's tag.
    await a.page.reload()
    await synced(a.page)
    await a.page.getByRole('combobox', { name: 'Filter by tag' }).click()
    await expect(a.page.getByRole('option', { name: 'walk (1)' })).toBeVisible()
    await a.page.keyboard.press('Escape')
    await a.page.getByRole('gridcell', { name: 'dog.jpg' }).dblclick()
    await a.page.getByRole('tab', { name: 'Details' }).click()
    await expect(a.page.getByTestId('sync-note')).toContainText('Edited on another device')
    await a.page.keyboard.press('Escape')
  })

  test('another user sees none of it', async ({ browser }, testInfo) => {
    m = await device(browser, testInfo)
    {
      await signIn(m.page, mallory, 'Create account')
      await m.page.goto('/library')
      await synced(m.page)
      await expect(m.page.getByRole('gridcell')).toHaveCount(0)
      const pulled = await m.page.request.get('/api/sync/pull')
      expect(((await pulled.json()) as { changes: unknown[] }).changes).toEqual([])
      // Alice's original, by its SHA-256 (known from her own device), is not Mallory's to read.
      const hash = await a.page.evaluate(async () => {
        const request = indexedDB.open('sightline')
        const db = await new Promise<IDBDatabase>(
          (resolve) => (request.onsuccess = () => resolve(request.result)),
        )
        const images = await new Promise<{ hash: string }[]>((resolve) => {
          const all = db.transaction('images').objectStore('images').getAll()
          all.onsuccess = () => resolve(all.result)
        })
        db.close()
        return images[0]!.hash
      })
      expect((await m.page.request.get(`/api/blobs/${hash}`)).status()).toBe(404)
      expect((await a.page.request.get(`/api/blobs/${hash}`)).status()).toBe(200)
    }
  })

  test('the admin sees both accounts and what they store', async () => {
    await a.page.goto('/admin')
    const table = a.page.getByRole('table', { name: 'Accounts' })
    await expect(table.getByRole('row')).toHaveCount(3)
    await expect(table.getByRole('row', { name: new RegExp(alice) })).toContainText('admin')
    await expect(table.getByRole('row', { name: new RegExp(mallory) })).toContainText('user')
  })

  test('the admin sees reported errors grouped, with their stack traces', async () => {
    // An envelope as the browser SDK sends it through the tunnel (the app's opt-in comes later).
    const origin = new URL(a.page.url()).origin
    const event = (id: string, line: number) => ({
      event_id: id,
      level: 'error',
      release: 'sightline@e2e',
      exception: {
        values: [
          {
            type: 'TypeError',
            value: 'x is undefined',
            stacktrace: {
              frames: [
                {
                  filename: `${origin}/_next/static/chunks/app.js`,
                  function: 'analyse',
                  lineno: line,
                  in_app: true,
                },
                {
                  filename: `${origin}/_next/static/chunks/app.js`,
                  function: 'drawOverlay',
                  lineno: line + 40,
                  in_app: true,
                },
              ],
            },
          },
        ],
      },
    })
    for (const [id, line] of [
      ['1'.repeat(32), 10],
      ['2'.repeat(32), 12],
    ] as const) {
      const sent = await a.page.request.post('/api/telemetry/envelope', {
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
        data: `${JSON.stringify({ event_id: id, dsn: `http://sightline@${new URL(origin).host}/1` })}\n{"type":"event"}\n${JSON.stringify(event(id, line))}\n`,
      })
      expect(sent.status()).toBe(200)
    }
    await a.page.goto('/monitoring')
    await a.page.getByRole('tab', { name: 'Errors' }).click()
    const table = a.page.getByRole('table', { name: 'Error issues' })
    const row = table.getByRole('row', { name: /TypeError: x is undefined/ })
    await expect(row).toHaveCount(1)
    await expect(row).toContainText('sightline@e2e')
    await expect(row.getByRole('cell').nth(1)).toHaveText('2')
    await row.getByRole('button', { name: 'Show TypeError: x is undefined' }).click()
    await expect(a.page.getByTestId('stack-trace')).toContainText('› drawOverlay')
    await expect(a.page.getByTestId('stack-trace')).toContainText('app.js:52')

    // A plain user gets the explanation, not the issues.
    await m.page.goto('/monitoring')
    await expect(m.page.getByText('Monitoring is for admins')).toBeVisible()
  })

  test('the admin follows health, performance and alerts on the Monitoring page', async () => {
    const page = a.page
    // Inference figures as an opted-in browser sends them: one batch a minute per device.
    const batch = await page.request.post('/api/telemetry/inference?sentry_key=sightline', {
      data: {
        periodMs: 60_000,
        series: [
          {
            task: 'object-detection',
            model: 'yolo-e2e',
            provider: 'wasm',
            count: 3,
            failures: 1,
            sumMs: 420,
            buckets: [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0],
          },
        ],
        fallbacks: 0,
        cacheHits: 1,
        cacheMisses: 0,
        maxQueueDepth: 1,
      },
    })
    expect(batch.status()).toBe(202)

    await page.goto('/monitoring')
    const checks = page.getByRole('table', { name: 'Health checks' })
    for (const name of ['Database', 'Migrations', 'Disk space']) {
      await expect(checks.getByRole('row', { name: new RegExp(name) })).toContainText('OK')
    }

    await page.getByRole('tab', { name: 'Performance' }).click()
    await expect(page).toHaveURL(/[?&]tab=performance/)
    const latency = page.getByTestId('chart-latency')
    // The series route writes the current minute's figures before it reads.
    await expect(latency.locator('.recharts-line-dot').first()).toBeVisible()
    // Bars are drawn only for steps with a value: the errors reported above, the synced photo.
    await expect(
      page.getByTestId('chart-errors').locator('.recharts-bar-rectangle path'),
    ).not.toHaveCount(0)
    await expect(
      page.getByTestId('chart-sync').locator('.recharts-bar-rectangle path'),
    ).not.toHaveCount(0)
    const inference = page.getByTestId('chart-inference')
    await expect(
      inference.getByRole('row', { name: /object-detection · yolo-e2e · wasm/ }),
    ).toContainText('1 (33 %)')
    await expect(inference.locator('.recharts-line-dot').first()).toBeVisible()
    await page.getByRole('radiogroup', { name: 'Time range' }).getByText('24 h').click()
    await expect(latency.locator('.recharts-line-dot').first()).toBeVisible()

    await page.getByRole('tab', { name: 'Alerts' }).click()
    const rules = page.getByRole('table', { name: 'Alert rules' })
    for (const rule of [
      'Error rate above baseline',
      'New error type',
      'Inference latency regression',
      'Readiness failing',
      'Disk nearly full',
      'Sync failures spiking',
    ]) {
      await expect(rules.getByRole('row', { name: new RegExp(rule) })).toHaveCount(1)
    }
    await expect(rules.getByRole('row')).toHaveCount(7)
  })

  test('an admin is told when an alert fires, with a link to it', async ({ browser }, testInfo) => {
    // The rules run every minute; the Alerts tab (left open above) runs them now. The TypeError
    // reported above is a new error type.
    await a.page.getByRole('button', { name: 'Run the rules now' }).click()
    await expect(a.page.getByRole('table', { name: 'Alerts firing now' })).toContainText(
      'TypeError: x is undefined',
    )

    // A device that has not announced it yet does so as soon as the admin signs in there.
    const n = await device(browser, testInfo)
    try {
      await signIn(n.page, alice, 'Sign in')
      const notice = n.page.getByRole('alert').filter({ hasText: 'New error type: TypeError' })
      await expect(notice).toBeVisible()
      await expect(n.page.getByRole('navigation').getByTestId('alerts-firing')).toContainText('1')
      await notice.getByRole('link', { name: 'Open Monitoring' }).click()
      await expect(n.page).toHaveURL(/\/monitoring\?tab=alerts$/)
      await expect(n.page.getByRole('table', { name: 'Alerts firing now' })).toContainText(
        'TypeError: x is undefined',
      )
    } finally {
      await n.context.close()
    }
  })

  test('disabling an account signs its devices out at once and refuses its sign-in', async () => {
    await a.page.goto('/admin')
    await a.page.getByRole('switch', { name: `${mallory} enabled` }).click({ force: true })
    await expect(a.page.getByRole('switch', { name: `${mallory} enabled` })).not.toBeChecked()

    await m.page.goto('/settings')
    await expect(m.page.getByText('Your session has ended')).toBeVisible({ timeout: 30_000 })
    await expect(m.page.getByTestId('sync-indicator')).toHaveCount(0)
    const refused = await m.page.request.post('/api/auth/sign-in', {
      data: { email: mallory, password },
      headers: { origin: new URL(m.page.url()).origin },
    })
    expect(refused.status()).toBe(403)
  })
})
