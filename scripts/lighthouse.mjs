#!/usr/bin/env node
// Lighthouse against the production build (`npm run lighthouse`; a stage of `npm test`).
//
// 1. Starts the app and the gateway (`server/serve-app.ts`, as `npm start` serves them) on a free
//    port with a fresh data folder, in its own process group, like playwright.config.ts does.
//    Needs the production build in .next/ (`npm run build`). With --url, audits that server instead.
// 2. Launches Debian's Chromium (e2e/chromium.json: path and flags, headless) with chrome-launcher
//    and runs Lighthouse with its desktop preset (no CPU slowdown, a fast 4G-like simulated network,
//    1350×940 screen) on each page: performance, accessibility and best practices. --runs times
//    per page (default 3), reporting the run with the median performance score, as Lighthouse's
//    docs advise against run-to-run variance; performance also drops when the machine is busy.
// 3. Checks that Chromium would install the app: Page.getInstallabilityErrors on /library in the
//    same (not off-the-record) profile, with the manifest parsed without errors. Lighthouse 12
//    dropped its PWA category, whose installable-manifest audit did this check.
//
// Prints a table of the scores, a warning for each score under the goal (90), and each category's
// failing audits. Installability is the only test: a score under the goal is reported, not failed.
// Writes .reports/lighthouse.json ({ tests, errors, scores, performanceRuns }; scripts/test.mjs
// counts it) and each page's full report (the median run) as .reports/lighthouse/<page>.{json,html}.
// Exits 0 only when every test passed and every page could be audited.

import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { launch } from 'chrome-launcher'
import lighthouse, { desktopConfig } from 'lighthouse'
import { chromium as playwright } from 'playwright-core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const browser = JSON.parse(readFileSync(path.join(root, 'e2e/chromium.json'), 'utf8'))
const lighthouseVersion = JSON.parse(
  readFileSync(path.join(root, 'node_modules/lighthouse/package.json'), 'utf8'),
).version
const categories = ['performance', 'accessibility', 'best-practices']
const goal = 90
/** The page Chromium is asked about installing: the manifest's start_url. */
const installPage = '/library'

const { values: options } = parseArgs({
  options: {
    url: { type: 'string' },
    pages: { type: 'string', default: '/library,/settings' },
    report: { type: 'string', default: path.join(root, '.reports/lighthouse.json') },
    runs: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
})

if (options.help) {
  console.log(`Usage: node scripts/lighthouse.mjs [options]

  --url URL       audit this server instead of starting the production build
  --pages LIST    comma-separated paths (default /library,/settings)
  --runs N        Lighthouse runs per page; the median run by performance is reported (default 3)
  --report FILE   summary JSON (default .reports/lighthouse.json); full reports beside it`)
  process.exit(0)
}

const pages = options.pages
  .split(',')
  .map((page) => page.trim())
  .filter(Boolean)
const reportFile = path.resolve(options.report)
const reportsDir = path.join(path.dirname(reportFile), 'lighthouse')
const runs = Number(options.runs)
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer')

/** @type {Array<() => unknown>} undo steps, last-in first-out */
const cleanups = []
/** @type {Array<{ name: string, status: 'passed' | 'failed', detail: string }>} */
const tests = []
/** @type {string[]} pages that could not be audited, and other errors outside the tests */
const errors = []
/** @type {Record<string, Record<string, number | null>>} page → category → score (0–100) */
const scores = {}
/** @type {Record<string, Array<number | null>>} page → each run's performance score */
const performanceRuns = {}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\nlighthouse: ${signal}, stopping`)
    cleanUp().finally(() => process.exit(130))
  })
}

try {
  mkdirSync(reportsDir, { recursive: true })
  const baseURL = options.url?.replace(/\/$/, '') ?? (await startApp())
  const chrome = await launch({
    chromePath: browser.executablePath,
    chromeFlags: [...new Set([...browser.args, '--headless'])],
    logLevel: 'silent',
  })
  cleanups.push(() => chrome.kill())
  console.log(`Lighthouse ${lighthouseVersion}, desktop preset; ${chromiumVersion()}; ${baseURL}\n`)

  const reports = []
  for (const page of pages) {
    const report = await audit(`${baseURL}${page}`, chrome.port)
    if (report) reports.push({ page, report })
  }
  await checkInstallable(`${baseURL}${installPage}`, chrome.port).catch((error) =>
    tests.push({
      name: `Chromium can install the app from ${installPage}`,
      status: 'failed',
      detail: `the check did not run: ${error instanceof Error ? error.message : error}`,
    }),
  )

  printScores()
  for (const { page, report } of reports) printFailingAudits(page, report)
  printTests()
} catch (error) {
  errors.push(error instanceof Error ? error.message : String(error))
  console.error(`lighthouse: ${errors.at(-1)}`)
} finally {
  await cleanUp()
}

const passed = tests.filter((test) => test.status === 'passed').length
const failed = tests.length - passed + errors.length
writeFileSync(
  reportFile,
  `${JSON.stringify({ tests, errors, scores, performanceRuns }, null, 2)}\n`,
)
console.log(`\nlighthouse: ${passed} passed, ${failed} failed`)
process.exitCode = failed > 0 ? 1 : 0

/** Runs Lighthouse on one page; keeps its scores and full report. */
async function audit(url, port) {
  const page = new URL(url).pathname
  const config = {
    ...desktopConfig,
    settings: { ...desktopConfig.settings, onlyCategories: categories },
  }
  const done = []
  for (let run = 1; run <= runs; run++) {
    console.log(`Auditing ${page}${runs > 1 ? ` (run ${run}/${runs})` : ''} …`)
    const result = await lighthouse(
      url,
      { port, hostname: '127.0.0.1', logLevel: 'error', output: ['json', 'html'] },
      config,
    )
    const lhr = result?.lhr
    if (!lhr || lhr.runtimeError) {
      const why = lhr ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : 'no result'
      errors.push(`${page}: Lighthouse failed: ${why}`)
      return undefined
    }
    done.push(result)
  }
  // The run with the median performance score: the timing varies between runs, the other
  // categories hardly do.
  const byPerformance = [...done].sort(
    (a, b) =>
      (a.lhr.categories.performance?.score ?? 0) - (b.lhr.categories.performance?.score ?? 0),
  )
  const { lhr, report } = byPerformance[Math.floor((byPerformance.length - 1) / 2)]
  const name = page.replace(/^\//, '').replace(/[^\w-]+/g, '_') || 'root'
  writeFileSync(path.join(reportsDir, `${name}.json`), report[0])
  writeFileSync(path.join(reportsDir, `${name}.html`), report[1])
  const percent = (score) => (typeof score === 'number' ? Math.round(score * 100) : null)
  scores[page] = Object.fromEntries(
    categories.map((id) => [id, percent(lhr.categories[id]?.score)]),
  )
  performanceRuns[page] = done.map((result) => percent(result.lhr.categories.performance?.score))
  for (const id of categories) {
    if (scores[page][id] === null) errors.push(`${page}: no ${id} score`)
  }
  return lhr
}

/**
 * The installability test: the manifest parses without errors and Chromium reports nothing that
 * stops installing. chrome-launcher's profile is an ordinary one, so not even 'in-incognito'.
 */
async function checkInstallable(url, port) {
  const name = `Chromium can install the app from ${new URL(url).pathname}`
  const connection = await playwright.connectOverCDP(`http://127.0.0.1:${port}`)
  try {
    const context = connection.contexts()[0]
    const page = await context.newPage()
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 })
    const cdp = await context.newCDPSession(page)
    const manifest = await cdp.send('Page.getAppManifest')
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors')
    const problems = [
      ...(manifest.url ? [] : ['no manifest linked']),
      ...manifest.errors.map((error) => `manifest: ${error.message}`),
      ...installabilityErrors.map(
        ({ errorId, errorArguments }) =>
          errorId + errorArguments.map(({ name, value }) => ` ${name}=${value}`).join(''),
      ),
    ]
    tests.push({
      name,
      status: problems.length ? 'failed' : 'passed',
      detail: problems.length
        ? problems.join('; ')
        : `manifest ${new URL(manifest.url).pathname}, no installability errors`,
    })
    await page.close()
  } finally {
    // Disconnects Playwright; the browser itself is chrome-launcher's to stop.
    await connection.close().catch(() => {})
  }
}

function printScores() {
  const width = Math.max(6, ...Object.keys(scores).map((page) => page.length))
  console.log(`\n${'page'.padEnd(width)}  ${categories.map((id) => id.padStart(14)).join('  ')}`)
  for (const [page, byCategory] of Object.entries(scores)) {
    const cells = categories.map((id) => String(byCategory[id] ?? '–').padStart(14))
    console.log(`${page.padEnd(width)}  ${cells.join('  ')}`)
  }
  if (runs > 1) {
    console.log(
      `(median of ${runs} runs by performance; each run's performance: ` +
        `${Object.entries(performanceRuns)
          .map(([page, values]) => `${page} ${values.join(', ')}`)
          .join('; ')})`,
    )
  }
  console.log('')
  for (const [page, byCategory] of Object.entries(scores)) {
    for (const id of categories) {
      const score = byCategory[id]
      if (score !== null && score < goal) {
        console.log(`warning: ${page} ${id} ${score} is under the goal of ${goal}`)
      }
    }
  }
}

/** Each category's audits that count as failed in Lighthouse's own report (score under 0.9). */
function printFailingAudits(page, lhr) {
  for (const id of categories) {
    const category = lhr.categories[id]
    if (!category) continue
    const failing = []
    for (const ref of category.auditRefs) {
      if (ref.group === 'hidden') continue
      const audit = lhr.audits[ref.id]
      if (audit.scoreDisplayMode === 'error') {
        failing.push(`${audit.title} (audit error: ${audit.errorMessage})`)
        continue
      }
      if (!['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode)) continue
      if (audit.score === null || audit.score >= 0.9) continue
      const value = audit.displayValue ? `: ${audit.displayValue}` : ''
      const weight = ref.weight ? `, weight ${ref.weight}` : ''
      failing.push(`${audit.title}${value} (score ${audit.score}${weight})${items(audit)}`)
    }
    const score = Math.round((category.score ?? 0) * 100)
    console.log(`\n${page} ${category.title} ${score}: ${failing.length || 'no'} failing audits`)
    for (const line of failing) console.log(`  - ${line}`)
  }
}

/** The first few elements, URLs or messages an audit names, to know where to look. */
function items(audit) {
  const found = (audit.details?.items ?? []).map(describeItem).filter(Boolean)
  if (found.length === 0) return ''
  const shown = found.slice(0, 3).map((text) => String(text).slice(0, 160))
  const more = found.length > 3 ? ` and ${found.length - 3} more` : ''
  return `\n      ${shown.join('\n      ')}${more}`
}

function describeItem(item) {
  if (item.node) {
    // axe's explanation: "Fix any of the following:\n  Element has insufficient color contrast …"
    const why = item.node.explanation?.split('\n').map((line) => line.trim())[1]
    return `"${item.node.nodeLabel ?? item.node.selector}"${why ? `: ${why}` : ''}`
  }
  if (item.description) {
    const where = item.sourceLocation?.url
    return `${item.description}${where ? ` (${where})` : ''}`
  }
  return item.url ?? item.source?.url
}

function printTests() {
  console.log('')
  for (const { name, status, detail } of tests) {
    console.log(`${status === 'passed' ? 'ok  ' : 'FAIL'} ${name}: ${detail}`)
  }
  for (const error of errors) console.log(`FAIL ${error}`)
}

/** The production app and gateway in their own process group; resolves with the base URL. */
async function startApp() {
  if (!existsSync(path.join(root, '.next/BUILD_ID'))) {
    throw new Error('no production build in .next/: run `npm run build` first')
  }
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sightline-lighthouse-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const logFile = path.join(reportsDir, 'server.log')
  const log = openSync(logFile, 'w')
  const server = spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'server/serve-app.ts'],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        HOST: '127.0.0.1',
        PORT: String(port),
        SIGHTLINE_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
    },
  )
  let exited = false
  server.on('exit', () => (exited = true))
  cleanups.push(() => stopGroup(server.pid))

  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`the app exited early; see ${path.relative(root, logFile)}`)
    try {
      const response = await fetch(`${baseURL}/api/ready`, { signal: AbortSignal.timeout(5_000) })
      if (response.ok) return baseURL
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`the app did not answer on ${baseURL}/api/ready within 60 s`)
    }
    await sleep(250)
  }
}

async function cleanUp() {
  while (cleanups.length) {
    try {
      await cleanups.pop()()
    } catch (error) {
      console.error(`lighthouse: cleanup failed: ${error}`)
    }
  }
}

/** SIGTERM to a process group, SIGKILL after 5 s. */
async function stopGroup(pid) {
  const signal = (name) => {
    try {
      process.kill(-pid, name)
      return true
    } catch {
      return false // the group is gone
    }
  }
  signal('SIGTERM')
  for (let i = 0; i < 50 && signal(0); i++) await sleep(100)
  signal('SIGKILL')
}

/** @returns {Promise<number>} a TCP port free on 127.0.0.1 right now */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function chromiumVersion() {
  const result = spawnSync(browser.executablePath, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
  })
  return result.stdout?.trim() || browser.executablePath
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
