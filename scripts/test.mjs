#!/usr/bin/env node
// The project's test command (`npm test`). Runs, in order and stopping at the first failure:
//
//   format → lint → typecheck → unit (vitest) → models (vitest, real ONNX on real photos)
//   → build (next build) → chromium → e2e (Playwright) → lighthouse (scripts/lighthouse.mjs)
//
// and always ends with a summary whose last line is `N passed, N failed` alone on a line. The
// counts are summed from vitest's, Playwright's and scripts/lighthouse.mjs's JSON reports
// (.reports/; Lighthouse's test is installability, its scores are printed); a stage that is not
// a test suite counts as 1 failed when it fails, and so does a test stage that exits non-zero
// without reporting a failed test (a crash, a file that does not load, no tests found). Exits 0
// only when nothing failed.
//
// Plain Node ESM, no dependencies. Every stage runs in its own process group, which is killed
// after the stage (no stray `next start` survives) and when this script is interrupted.

import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { constants as osConstants } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const reportsDir = path.join(root, '.reports')
const vitestReport = path.join(reportsDir, 'vitest.json')
const modelsReport = path.join(reportsDir, 'vitest-models.json')
const playwrightReport = path.join(reportsDir, 'playwright.json') // set in playwright.config.ts
const lighthouseReport = path.join(reportsDir, 'lighthouse.json')
const summaryFile = path.join(reportsDir, 'summary.txt')
const chromium = '/usr/bin/chromium'
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

/**
 * @typedef {{ passed: number, failed: number, skipped: number }} Counts
 * @typedef {{
 *   name: string,
 *   title: string,
 *   run: () => Promise<number>,
 *   report?: string,
 *   count?: (report: string) => Counts,
 * }} Stage
 */

/** @type {Stage[]} */
const stages = [
  {
    name: 'format',
    title: 'prettier --check (npm run format:check)',
    run: () => npm('format:check'),
  },
  { name: 'lint', title: 'eslint (npm run lint)', run: () => npm('lint') },
  {
    name: 'typecheck',
    title: 'tsc, app and workers (npm run typecheck)',
    run: () => npm('typecheck'),
  },
  {
    name: 'unit',
    title: 'vitest run --project unit',
    run: () =>
      exec(bin('vitest'), [
        'run',
        '--project',
        'unit',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${vitestReport}`,
      ]),
    report: vitestReport,
    count: countVitest,
  },
  {
    name: 'models',
    title: 'vitest run --project models (onnxruntime-node, prepared models)',
    run: () =>
      exec(bin('vitest'), [
        'run',
        '--project',
        'models',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${modelsReport}`,
      ]),
    report: modelsReport,
    count: countVitest,
  },
  { name: 'build', title: 'next build + service worker (npm run build)', run: () => npm('build') },
  { name: 'chromium', title: `browser for the e2e tests (${chromium})`, run: ensureChromium },
  {
    name: 'e2e',
    title: 'playwright test (production build, next start)',
    run: () => exec(bin('playwright'), ['test']),
    report: playwrightReport,
    count: countPlaywright,
  },
  {
    name: 'lighthouse',
    title: 'Lighthouse, desktop preset (installability tested; scores printed, goal ≥ 90)',
    run: () =>
      exec(process.execPath, [
        path.join(root, 'scripts/lighthouse.mjs'),
        '--report',
        lighthouseReport,
      ]),
    report: lighthouseReport,
    count: countLighthouse,
  },
]

/** @type {Map<string, { status: 'passed' | 'failed', ms: number, counts?: Counts, note?: string }>} */
const results = new Map()
/** @type {import('node:child_process').ChildProcess | undefined} */
let current
/** @type {NodeJS.Signals | undefined} */
let interrupted

for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    const again = interrupted !== undefined
    interrupted = signal
    if (current?.pid) killGroup(current.pid, again ? 'SIGKILL' : signal)
  })
}

mkdirSync(reportsDir, { recursive: true })
rmSync(summaryFile, { force: true })

for (const [index, stage] of stages.entries()) {
  if (interrupted) break
  console.log(`\n=== [${index + 1}/${stages.length}] ${stage.name}: ${stage.title}`)
  const started = performance.now()
  if (stage.report) rmSync(stage.report, { force: true })

  /** @type {number} */
  let code
  let note
  try {
    code = await stage.run()
  } catch (error) {
    code = 1
    note = error instanceof Error ? error.message : String(error)
    console.error(`test.mjs: ${stage.name}: ${note}`)
  }
  if (interrupted) {
    code ||= 1
    note = `interrupted by ${interrupted}`
  }

  let counts
  if (stage.count && stage.report) {
    try {
      counts = stage.count(stage.report)
    } catch (error) {
      note ??= `no readable report at ${path.relative(root, stage.report)} (${errorCode(error)})`
      counts = { passed: 0, failed: 0, skipped: 0 }
    }
    // A test stage that exits non-zero has failed even when its report shows no failed test.
    if (code !== 0 && counts.failed === 0) {
      counts.failed = 1
      note ??= `exited with code ${code} without a failed test in its report`
    }
    if (counts.failed > 0 && code === 0) code = 1
  }

  const status = code === 0 ? 'passed' : 'failed'
  const ms = performance.now() - started
  results.set(stage.name, { status, ms, counts, note })
  const detail = counts ? `: ${formatCounts(counts)}` : ''
  console.log(`--- ${stage.name} ${status} in ${seconds(ms)}${detail}${note ? ` (${note})` : ''}`)
  if (status === 'failed') break
}

printSummary()

/** Prints every stage's outcome, then the closing `N passed, N failed` line. */
function printSummary() {
  let passed = 0
  let failed = 0
  console.log('\n=== summary')
  for (const stage of stages) {
    const result = results.get(stage.name)
    if (!result) {
      console.log(`  ${stage.name.padEnd(10)} not run`)
      continue
    }
    const { status, ms, counts } = result
    if (counts) {
      passed += counts.passed
      failed += counts.failed
    } else if (status === 'failed') {
      failed += 1
    }
    const detail = counts ? `  ${formatCounts(counts)}` : ''
    console.log(
      `  ${stage.name.padEnd(10)} ${status.padEnd(7)} ${seconds(ms).padStart(8)}${detail}`,
    )
  }
  if (results.get('e2e')?.status === 'failed') {
    console.log(
      '  e2e traces and screenshots: test-results/ (npx playwright show-trace <trace.zip>)',
    )
  }
  const closing = `${passed} passed, ${failed} failed`
  writeFileSync(summaryFile, `${closing}\n`) // .ci/run checks that the summary was printed
  console.log(closing)
  process.exitCode = interrupted ? 130 : failed > 0 ? 1 : 0
}

/** Runs an npm script. */
function npm(script) {
  return exec('npm', ['run', script])
}

/**
 * Runs a command in its own process group with the terminal's output, and kills whatever is
 * left of that group when it exits. Resolves with the exit code (128 + n for a signal).
 */
function exec(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    })
    current = child
    child.on('error', (error) => {
      current = undefined
      reject(error)
    })
    child.on('exit', (code, signal) => {
      current = undefined
      if (child.pid) killGroup(child.pid, 'SIGKILL')
      resolve(code ?? 128 + (signal ? (osConstants.signals[signal] ?? 1) : 1))
    })
  })
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // the group is already gone
  }
}

/** Checks for Debian's Chromium; installs it when running as root, otherwise explains how. */
async function ensureChromium() {
  if (!isExecutable(chromium)) {
    if (process.getuid?.() !== 0) {
      console.error(
        `${chromium} is missing. The e2e tests and the import benchmark drive Debian's Chromium ` +
          '(Playwright downloads no browser here). Install it with:\n\n' +
          '  sudo apt-get update && sudo apt-get install -y chromium\n',
      )
      return 1
    }
    console.log(`${chromium} is missing; installing Debian's chromium (running as root)`)
    const env = { DEBIAN_FRONTEND: 'noninteractive' }
    const code =
      (await exec('apt-get', ['update'], env)) ||
      (await exec('apt-get', ['install', '-y', 'chromium'], env))
    if (code !== 0) return code
    if (!isExecutable(chromium)) {
      console.error(`apt-get installed chromium, but ${chromium} is still missing`)
      return 1
    }
  }
  const version = spawnSync(chromium, ['--version'], { encoding: 'utf8', timeout: 30_000 })
  console.log(`${chromium}: ${version.stdout?.trim() || 'found (no version output)'}`)
  return 0
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Vitest's JSON report. A test file that fails to load counts as one failed test. */
function countVitest(report) {
  const data = JSON.parse(readFileSync(report, 'utf8'))
  let failed = data.numFailedTests ?? 0
  for (const file of data.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed')
    if (file.status === 'failed' && failedTests.length === 0) failed += 1
  }
  return {
    passed: data.numPassedTests ?? 0,
    failed,
    skipped: (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0),
  }
}

/** Playwright's JSON report. Errors outside tests (a spec that does not load, the web server) count as failed. */
function countPlaywright(report) {
  const data = JSON.parse(readFileSync(report, 'utf8'))
  const stats = data.stats ?? {}
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: (stats.unexpected ?? 0) + (data.errors?.length ?? 0),
    skipped: stats.skipped ?? 0,
  }
}

/** scripts/lighthouse.mjs's report. A page it could not audit counts as failed. */
function countLighthouse(report) {
  const data = JSON.parse(readFileSync(report, 'utf8'))
  const tests = data.tests ?? []
  return {
    passed: tests.filter((test) => test.status === 'passed').length,
    failed: tests.filter((test) => test.status !== 'passed').length + (data.errors?.length ?? 0),
    skipped: 0,
  }
}

function formatCounts({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

function errorCode(error) {
  return error && typeof error === 'object' && 'code' in error ? error.code : String(error)
}
