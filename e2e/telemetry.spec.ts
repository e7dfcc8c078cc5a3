import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { admin, signInAsAdmin } from './accounts'
import { withoutAutoAnalysis } from './settings'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

interface Issue {
  id: number
  type: string
  title: string
  count: number
  users: number
  releases: string[]
}

interface StoredEvent {
  tags?: Record<string, string>
  user?: Record<string, unknown>
  release?: string
  environment?: string
  contexts?: Record<string, unknown>
  request?: { url?: string }
  exception?: { values?: { type?: string; value?: string }[] }
}

const reportsSwitch = (page: Page) =>
  page.getByRole('switch', { name: 'Send error reports and performance figures' })

/** Turns reports on, again if the first click landed before React hydrated the page. */
async function turnReportsOn(page: Page) {
  await expect(async () => {
    if (!(await reportsSwitch(page).isChecked())) await reportsSwitch(page).click()
    await expect(reportsSwitch(page)).toBeChecked({ timeout: 1_000 })
  }).toPass()
}

/** Every request this context makes to the telemetry endpoints, page and workers alike. */
function telemetryRequests(context: BrowserContext): string[] {
  const seen: string[] = []
  context.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/telemetry/')) seen.push(request.url())
  })
  return seen
}

/** Signs in as the suite's admin; skips where that account is not the admin (E2E_BASE_URL). */
async function becomeAdmin(page: Page) {
  const { role } = await signInAsAdmin(page)
  test.skip(role !== 'admin', "the suite's admin account is not this gateway's admin")
}

async function issues(page: Page): Promise<Issue[]> {
  const response = await page.request.get('/api/admin/telemetry/issues')
  expect(response.status()).toBe(200)
  return ((await response.json()) as { issues: Issue[] }).issues
}

const countOf = async (page: Page, from: RegExp) =>
  (await issues(page)).find((issue) => from.test(issue.title))?.count ?? 0

async function latestEvents(page: Page, issue: Issue): Promise<StoredEvent[]> {
  const response = await page.request.get(`/api/admin/telemetry/issues/${issue.id}/events`)
  const { events } = (await response.json()) as { events: { payload: StoredEvent }[] }
  return events.map((event) => event.payload)
}

const fromPage = /^TelemetryTestError: Test error from the page/
const fromWorker = /^TelemetryTestError: Test error from an analysis worker/

test.describe('error reports and performance figures', () => {
  test.describe.configure({ mode: 'serial' })
  test.setTimeout(120_000)

  test('nothing is sent while reports are off, which they are by default', async ({
    context,
    page,
  }) => {
    await withoutAutoAnalysis(context)
    const sent = telemetryRequests(context)
    await page.goto('/settings')
    await expect(reportsSwitch(page)).not.toBeChecked()
    await expect(page.getByRole('button', { name: 'Send a test error' })).toHaveCount(0)
    const throwUncaught = () =>
      page.evaluate(() => {
        setTimeout(() => {
          throw new Error('uncaught while reports are off')
        })
        setTimeout(() => void Promise.reject(new Error('rejected while reports are off')))
      })
    await throwUncaught()

    // On, then off again: the SDK stops, in the page and in the workers.
    await turnReportsOn(page)
    await reportsSwitch(page).click()
    await expect(reportsSwitch(page)).not.toBeChecked()
    const before = sent.length
    await throwUncaught()
    // Nothing to wait for but time: an SDK that still ran would post within a few ms.
    await page.waitForTimeout(2_000)
    expect(sent.slice(before)).toEqual([])
  })

  test('test errors from the page and a worker arrive through the tunnel, grouped, and show on the Monitoring page', async ({
    context,
    page,
  }) => {
    await withoutAutoAnalysis(context)
    await becomeAdmin(page)
    const sent = telemetryRequests(context)

    await page.goto('/settings')
    await reportsSwitch(page).click()
    await expect(reportsSwitch(page)).toBeChecked()
    await expect(page.getByText(/Where it goes: this server/)).toBeVisible()
    const testButton = page.getByRole('button', { name: 'Send a test error' })
    // The same error twice: one issue with two events.
    for (let press = 0; press < 2; press++) {
      await testButton.click()
      await expect(page.getByText(/Thrown in the page and in an analysis worker/)).toBeVisible()
    }

    await expect.poll(() => countOf(page, fromPage), { timeout: 30_000 }).toBe(2)
    await expect.poll(() => countOf(page, fromWorker), { timeout: 30_000 }).toBe(2)
    expect(sent.every((url) => new URL(url).pathname === '/api/telemetry/envelope')).toBe(true)

    const all = await issues(page)
    // The worker's error is reported by the worker alone, not again by the page.
    expect(all.filter((issue) => issue.type === 'TelemetryTestError')).toHaveLength(2)
    const pageIssue = all.find((issue) => fromPage.test(issue.title))!
    const workerIssue = all.find((issue) => fromWorker.test(issue.title))!
    expect(pageIssue).toMatchObject({ type: 'TelemetryTestError', users: 1 })
    expect(pageIssue.releases).toEqual([expect.stringMatching(/^sightline@\d+\.\d+\.\d+/)])
    // Scrubbed before it left the browser.
    expect(pageIssue.title).toContain('such as <file>.')
    expect(pageIssue.title).not.toContain('holiday-photo')

    const pageEvents = await latestEvents(page, pageIssue)
    const workerEvents = await latestEvents(page, workerIssue)
    expect(pageEvents.map((event) => event.tags?.context)).toEqual(['page', 'page'])
    expect(workerEvents.map((event) => event.tags?.context)).toEqual(['worker', 'worker'])
    for (const event of [...pageEvents, ...workerEvents]) {
      expect(event.environment).toBe('production')
      // The anonymous install id only: one device for the page and its workers.
      expect(event.user).toEqual({ id: pageEvents[0]!.user!.id })
      expect(String(event.user?.id)).toMatch(/^[0-9a-f]{32}$/)
      expect(Object.keys(event.contexts ?? {})).not.toContain('culture')
      expect(JSON.stringify(event)).not.toContain('holiday-photo')
      expect(JSON.stringify(event)).not.toContain(admin)
    }
    expect(pageEvents[0]!.request?.url).toMatch(/\/settings$/)

    await page.goto('/monitoring')
    await page.getByRole('tab', { name: 'Errors' }).click()
    const table = page.getByRole('table', { name: 'Error issues' })
    // A row is named by its cells, starting with the button's "Show …" label.
    const pageRow = table.getByRole('row', { name: /TelemetryTestError: Test error from the page/ })
    await expect(pageRow).toHaveCount(1)
    await expect(pageRow.getByRole('cell').nth(1)).toHaveText('2')
    await expect(
      table.getByRole('row', { name: /TelemetryTestError: Test error from an analysis worker/ }),
    ).toHaveCount(1)
    await table
      .getByRole('button', { name: /^Show TelemetryTestError: Test error from the page/ })
      .click()
    const stack = page.getByTestId('stack-trace')
    await expect(stack).toBeVisible()
    // Mapped back to the source by the gateway from the build's source maps…
    await expect(stack).toContainText('app/_lib/telemetry/runtime.ts')
    await expect(stack).toContainText('throw new TelemetryTestError(')
    // …which the server keeps to itself.
    const script = await page.evaluate(() =>
      [...document.scripts].map((s) => s.src).find((src) => src.includes('/_next/static/'))!,
    )
    expect((await page.request.get(`${script}.map`)).status()).toBe(404)
    const occurrences = page.getByRole('table', { name: 'Latest occurrences' })
    await expect(occurrences.getByRole('row')).toHaveCount(3) // the header and two events
    await expect(occurrences.getByRole('row').nth(1)).toContainText('page')
    await expect(occurrences.getByRole('row').nth(1)).toContainText('sightline@')

    await table
      .getByRole('button', { name: /^Show TelemetryTestError: Test error from an analysis worker/ })
      .click()
    await expect(occurrences.getByRole('row').nth(1)).toContainText('worker')
    await expect(stack).toContainText('workers/inference.worker.ts')
  })

  test('with a custom DSN, reports go straight to that server, and figures are not sent', async ({
    context,
    page,
    baseURL,
  }) => {
    await withoutAutoAnalysis(context)
    const sent = telemetryRequests(context)
    await page.goto('/settings')
    const field = page.getByRole('textbox', { name: 'DSN' })
    const toggle = page.getByRole('button', {
      name: 'Send to another Sentry-compatible server (DSN)',
    })
    // A click that lands before React has hydrated the page is lost: open it until it is open.
    await expect(async () => {
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
      await expect(field).toBeVisible({ timeout: 1_000 })
    }).toPass()
    await field.fill('https://sentry.example.org/12')
    await page.getByRole('button', { name: 'Save DSN' }).click()
    await expect(page.getByText('Not a DSN: https://KEY@HOST/PROJECT_ID')).toBeVisible()

    // The gateway's own Sentry-style ingest stands in for a Sentry server: the SDK then posts to
    // /api/1/envelope/ with the key in the query, as it would to sentry.io.
    const dsn = `${baseURL!.replace('://', '://sightline@')}/1`
    await field.fill(dsn)
    await page.getByRole('button', { name: 'Save DSN' }).click()
    await expect(
      page.getByText(/Where it goes: the Sentry-compatible server at 127\.0\.0\.1/),
    ).toBeVisible()
    await reportsSwitch(page).click()
    await expect(reportsSwitch(page)).toBeChecked()
    const stored = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/1/envelope/')
    await page.getByRole('button', { name: 'Send a test error' }).click()
    expect((await stored).status()).toBe(200)
    expect(sent).toEqual([])

    await page.getByRole('button', { name: 'Use this server' }).click()
    await expect(page.getByText(/Where it goes: this server/)).toBeVisible()
  })

  test('an error made offline is queued and sent once the browser is back online', async ({
    context,
    page,
  }) => {
    await withoutAutoAnalysis(context)
    await becomeAdmin(page)
    // Opted in by the previous test in another context: this one opts in on its own.
    await reportsSwitch(page).click()
    await expect(reportsSwitch(page)).toBeChecked()
    const before = await countOf(page, fromPage)
    const testButton = page.getByRole('button', { name: 'Send a test error' })
    const thrown = page.getByText(/Thrown in the page and in an analysis worker/)
    // Online first, which also starts the analysis worker: offline, its script could not load.
    await testButton.click()
    await expect(thrown).toBeVisible()
    await expect.poll(() => countOf(page, fromPage), { timeout: 30_000 }).toBe(before + 1)
    const workerBefore = await countOf(page, fromWorker)

    await context.setOffline(true)
    await testButton.click()
    await expect(thrown).toBeVisible()
    // The failed envelope waits in IndexedDB.
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              new Promise<number>((resolve) => {
                const open = indexedDB.open('sightline-telemetry')
                // As the SDK creates it, in case this read comes first.
                open.onupgradeneeded = () => open.result.createObjectStore('queue')
                open.onsuccess = () => {
                  const db = open.result
                  const request = db.transaction('queue').objectStore('queue').count()
                  request.onsuccess = () => {
                    db.close()
                    resolve(request.result)
                  }
                }
                open.onerror = () => resolve(-1)
              }),
          ),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0)
    await context.setOffline(false)
    await expect.poll(() => countOf(page, fromPage), { timeout: 30_000 }).toBe(before + 2)
    await expect.poll(() => countOf(page, fromWorker), { timeout: 30_000 }).toBe(workerBefore + 1)
  })

  test('inference figures reach /metrics after a real analysis', async ({
    context,
    page,
    request,
  }) => {
    await context.addInitScript(() =>
      localStorage.setItem(
        'sightline.analysis-settings',
        JSON.stringify({ autoTasks: ['face-detection'], provider: 'wasm' }),
      ),
    )
    await page.goto('/settings')
    await turnReportsOn(page)

    await page.goto('/library')
    await page.getByTestId('import-input').setInputFiles(path.join(fixtures, 'portrait.jpg'))
    await expect(page.getByTestId('analysis-status')).toContainText('Analysis finished', {
      timeout: 90_000,
    })
    // Leaving the page sends the figures with sendBeacon (pagehide). Playwright does not see a
    // request made while a page unloads, so the gateway's metrics are the witness.
    await page.goto('/settings')

    // No Origin and from loopback: the gateway serves /metrics without a token.
    await expect
      .poll(async () => (await request.get('/metrics')).text(), { timeout: 10_000 })
      .toMatch(/sightline_inference_duration_seconds_count\{[^}]*task="face-detection"[^}]*\} 1\b/)
    const metrics = await (await request.get('/metrics')).text()
    expect(metrics).toMatch(
      /sightline_inference_runs_total\{[^}]*task="face-detection"[^}]*outcome="ok"[^}]*\} 1\b/,
    )
    // The worker's counters came along: this fresh profile had to download the model.
    expect(metrics).toMatch(/sightline_model_cache_total\{outcome="miss"\} [1-9]/)
    expect(metrics).toMatch(/sightline_inference_queue_depth [1-9]/)
  })
})
