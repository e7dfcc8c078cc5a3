#!/usr/bin/env node
// Cold-start benchmark (`npm run bench:cold-start`; a script that prints figures, not a test):
// does the app open to the library quickly with thousands of images?
//
// 1. Starts the production server (`next start`; `next build` first only if .next/ has no build)
//    in its own process group, and stops the whole group on exit.
// 2. Generates the largest --counts of small distinct JPEG photos (long side 200–480 px, as
//    bench/grid does) into bench/cold-start/.work/ (gitignored, reused while unchanged).
// 3. One persistent Chromium profile (--user-data-dir, kept across browser restarts) with
//    automatic analysis turned off, so no analysis work competes with the loads. A copy of it is
//    kept empty (the reference); then it is filled through the real import path (the import
//    input, batch by batch) up to each of --counts, and copied at each size.
// 4. --runs rounds; each round makes one cold load of /library on every copy, so that the sizes
//    are interleaved and share any noise from the machine. Each load is a freshly started
//    browser on the copy (new browser process, new page; the HTTP cache and IndexedDB on disk as
//    the installed app would find them; the OS file cache stays warm). Times are from the
//    navigation's start (performance.timeOrigin) to:
//      FCP        first contentful paint (PerformanceObserver 'paint')
//      count      the first animation frame in which the header shows the library's full count
//                 ("3,000 images"): every image record is read from IndexedDB
//      first row  the first animation frame in which every cell of the grid's first row shows a
//                 loaded thumbnail (<img> complete, naturalWidth > 0); none for the empty library
// 5. If the build registers a service worker (navigator.serviceWorker), each size is measured
//    twice: loads the service worker does not control, as on a first visit (CDP
//    Network.setBypassServiceWorker), and loads it controls (navigator.serviceWorker.controller
//    set). Without one, plain loads.
//
// Prints the medians and their ratios to the empty library's, measured in the same run; writes
// every run as JSON to bench/cold-start/.work/results/. Headless Chromium, software rendering,
// this machine's cores: compare runs on the same machine only.
// Options: node bench/cold-start/run.mjs --help

import { cpSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  chromiumVersion,
  formatBytes,
  gitCommit,
  importPhotos,
  launchOptions,
  medianOf,
  newProfile,
  positiveInt,
  preparePhotos,
  root,
  runBench,
  seconds,
  settle,
  startServer,
  viewport,
  withBrowser,
} from '../lib.mjs'

const workDir = path.join(root, 'bench/cold-start/.work')
const photoSpec = { minSide: 200, maxSide: 480, seed: 1, jpegQuality: 0.9 }
const fillBatch = 1000
/** How long the first visit may take to register a service worker before we call it absent. */
const registerWaitMs = 15_000
/** … and to install (precache) and activate it. */
const activateWaitMs = 180_000

const { values: options } = parseArgs({
  options: {
    counts: { type: 'string', default: '1000,3000' },
    runs: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '600' },
    help: { type: 'boolean', default: false },
  },
})

if (options.help) {
  console.log(`Usage: npm run bench:cold-start -- [options]

  --counts LIST  library sizes to measure, comma-separated (default 1000,3000); the empty
                 library is always measured first, as the reference
  --runs N       cold loads per size and kind of load; medians are printed (default 5)
  --timeout S    limit for each import batch and each load, seconds (default 600)`)
  process.exit(0)
}

const counts = options.counts.split(',').map((value) => {
  const count = Number(value)
  if (!Number.isInteger(count) || count < 1) throw new Error(`--counts: ${value} is no size`)
  return count
})
counts.sort((a, b) => a - b)
const sizes = [0, ...new Set(counts)]
const runs = positiveInt(options, 'runs')
const timeoutMs = positiveInt(options, 'timeout') * 1000

await runBench(main)

async function main() {
  if (!existsSync(launchOptions.executablePath)) {
    throw new Error(
      `${launchOptions.executablePath} is missing: apt-get update && apt-get install -y chromium`,
    )
  }
  mkdirSync(workDir, { recursive: true })
  const photos = await preparePhotos({ workDir, count: sizes.at(-1), ...photoSpec, logEvery: 500 })
  const bytes = photos.reduce((sum, file) => sum + statSync(file).size, 0)
  const baseURL = await startServer({ logFile: path.join(workDir, 'server.log') })
  console.log(
    `\n${photos.length} photos (long side ${photoSpec.minSide}–${photoSpec.maxSide} px), ` +
      `${formatBytes(bytes)}; server ${baseURL}`,
  )
  console.log(
    `Chromium: ${chromiumVersion()}; ${os.cpus().length} cores; Node ${process.version}; ` +
      `viewport ${viewport.width}×${viewport.height}, headless, software rendering`,
  )

  const profile = newProfile()
  const serviceWorker = await firstVisit(baseURL, profile)
  const kinds = serviceWorker ? ['first', 'controlled'] : ['plain']
  console.log(
    serviceWorker
      ? `Service worker ${serviceWorker.scriptURL} (scope ${serviceWorker.scope}) is active: ` +
          'measuring loads it does not control (first) and loads it controls'
      : 'No service worker registered: measuring plain loads',
  )

  // One copy of the profile per library size, so that the loads can be interleaved: a burst of
  // load from elsewhere on the machine then slows every size alike, not one.
  const fills = []
  /** @type {Map<number, string>} library size → a copy of the profile at that size */
  const snapshots = new Map()
  let filled = 0
  for (const count of sizes) {
    if (count > filled) {
      const fill = await withBrowser(profile, async (_context, page) => {
        await page.goto(`${baseURL}/library`, { waitUntil: 'load', timeout: 60_000 })
        return importPhotos(page, photos.slice(filled, count), {
          batch: fillBatch,
          timeoutMs,
          done: filled,
          total: count,
        })
      })
      console.log(
        `Filled the library to ${count} images (+${count - filled} in ${seconds(fill.ms)})`,
      )
      fills.push({ from: filled, to: count, ...fill })
      filled = count
    }
    snapshots.set(count, copyProfile(profile))
  }

  /** @type {Map<string, object[]>} `${count} ${kind}` → its runs */
  const byCase = new Map()
  console.log(
    `\n${runs} rounds of cold loads; each round loads every size (${sizes.join(', ')} images), ` +
      `${kinds.join(' and ')}`,
  )
  for (let round = 1; round <= runs; round++) {
    const line = []
    for (const count of sizes) {
      for (const kind of kinds) {
        const result = await coldLoad(baseURL, snapshots.get(count), count, kind)
        const key = `${count} ${kind}`
        byCase.set(key, [...(byCase.get(key) ?? []), result])
        line.push(`${key} ${ms(result.countMs)}`)
      }
    }
    console.log(`  round ${round}/${runs}, count shown: ${line.join(', ')}`)
  }
  /** @type {Array<{ count: number, kind: string, runs: object[], median: object }>} */
  const measurements = []
  for (const count of sizes) {
    for (const kind of kinds) {
      const results = byCase.get(`${count} ${kind}`)
      const median = summarize(results)
      measurements.push({ count, kind, runs: results, median })
      console.log(describe(count, kind, median, results))
    }
  }

  const reference = (kind) => measurements.find((m) => m.count === 0 && m.kind === kind).median
  console.log(
    `\nMedians of ${runs} cold loads of /library (ms from navigation start; × = ratio to the ` +
      'empty library, same kind of load)',
  )
  console.log(
    `${'images'.padStart(7)}  ${'load'.padEnd(10)}  ${'FCP'.padStart(14)}  ` +
      `${'count shown'.padStart(16)}  ${'first row'.padStart(10)}`,
  )
  for (const { count, kind, median } of measurements) {
    const ref = reference(kind)
    const withRatio = (value, base) =>
      `${ms(value)} ${count === 0 ? '' : `${(value / base).toFixed(2)}×`}`.trim()
    console.log(
      `${count.toLocaleString('en').padStart(7)}  ${kind.padEnd(10)}  ` +
        `${withRatio(median.fcpMs, ref.fcpMs).padStart(14)}  ` +
        `${withRatio(median.countMs, ref.countMs).padStart(16)}  ` +
        `${(median.firstRowMs === undefined ? '–' : ms(median.firstRowMs)).padStart(10)}`,
    )
  }

  const resultsDir = path.join(workDir, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const file = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  const environment = {
    chromium: chromiumVersion(),
    node: process.version,
    cores: os.cpus().length,
    memory: os.totalmem(),
    commit: gitCommit(),
    viewport,
  }
  const parameters = { sizes, runs, ...photoSpec, bytes, fillBatch, baseURL, serviceWorker }
  writeFileSync(
    file,
    `${JSON.stringify({ environment, parameters, fills, measurements }, null, 2)}\n`,
  )
  console.log(`Figures written to ${path.relative(root, file)}`)
}

/**
 * The profile's first visit: turns automatic analysis off and, if the app registers a service
 * worker, waits until it is active and controls a reload (its precache is complete).
 * @returns {Promise<{ scriptURL: string, scope: string } | undefined>}
 */
async function firstVisit(baseURL, profile) {
  return withBrowser(profile, async (_context, page) => {
    await page.goto(`${baseURL}/library`, { waitUntil: 'load', timeout: 60_000 })
    // Read by the import when it queues analysis (app/_hooks/use-analysis-settings.ts).
    await page.evaluate(() =>
      localStorage.setItem(
        'sightline.analysis-settings',
        JSON.stringify({ autoTasks: [], provider: 'auto' }),
      ),
    )
    const registered = await page.evaluate(async (waitMs) => {
      if (!('serviceWorker' in navigator)) return false
      const deadline = performance.now() + waitMs
      while (performance.now() < deadline) {
        if (await navigator.serviceWorker.getRegistration()) return true
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      return false
    }, registerWaitMs)
    if (!registered) return undefined

    // Installing precaches the app (the models and wasm too): poll its state, since `ready`
    // never settles when installing fails.
    const worker = await settle(
      page,
      page.evaluate(async (waitMs) => {
        const deadline = performance.now() + waitMs
        let state = 'registered'
        while (performance.now() < deadline) {
          const registration = await navigator.serviceWorker.getRegistration()
          if (!registration) return { error: 'its registration is gone (installing failed)' }
          const { active, installing, waiting } = registration
          if (active?.state === 'activated') {
            return { scriptURL: active.scriptURL, scope: registration.scope }
          }
          state = (installing ?? waiting ?? active)?.state ?? 'none'
          if (state === 'redundant') return { error: 'it became redundant (installing failed)' }
          await new Promise((resolve) => setTimeout(resolve, 500))
        }
        return { error: `it was still ${state} after ${waitMs / 1000} s` }
      }, activateWaitMs),
      'the service worker',
    )
    if (worker.error) {
      console.warn(`  a service worker registered but did not activate: ${worker.error}`)
      return undefined
    }
    await page.reload({ waitUntil: 'load', timeout: 60_000 })
    if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
      console.warn('  the service worker is active but does not control a reload of /library')
    }
    return worker
  })
}

/** A copy of a (closed) browser profile, removed on exit. */
function copyProfile(profile) {
  const copy = newProfile()
  cpSync(profile, copy, {
    recursive: true,
    filter: (source) => !path.basename(source).startsWith('Singleton'),
  })
  return copy
}

/** One cold load: a new browser on the profile, /library until FCP, the count and the first row. */
async function coldLoad(baseURL, profile, count, kind) {
  return withBrowser(profile, async (context, page) => {
    await context.addInitScript(probe, count)
    if (kind === 'first') {
      // As on a first visit: the requests skip the service worker (but not the HTTP cache).
      const cdp = await context.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send('Network.setBypassServiceWorker', { bypass: true })
    }
    await page.goto(`${baseURL}/library`, { waitUntil: 'commit', timeout: 60_000 })
    const handle = await settle(
      page,
      page
        .waitForFunction(() => window.coldStart?.done && window.coldStart, undefined, {
          timeout: timeoutMs,
          polling: 100,
        })
        .catch(async (error) => {
          const state = await page.evaluate(() => window.coldStart).catch(() => undefined)
          throw new Error(`a load of ${count} images did not finish: ${JSON.stringify(state)}`, {
            cause: error,
          })
        }),
      'the library',
    )
    const state = await handle.jsonValue()
    const navigation = await page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0]
      return {
        responseStartMs: entry.responseStart,
        domContentLoadedMs: entry.domContentLoadedEventEnd,
        loadMs: entry.loadEventEnd,
        controlled: !!navigator.serviceWorker?.controller,
      }
    })
    if ((kind === 'controlled') !== navigation.controlled) {
      console.warn(
        `  a ${kind} load was ${navigation.controlled ? '' : 'not '}controlled by the service worker`,
      )
    }
    return {
      fcpMs: state.fcpMs,
      countMs: state.countMs,
      firstRowMs: state.firstRowMs,
      columns: state.columns,
      ...navigation,
    }
  })
}

/**
 * In the page, from its start (an init script): sets window.coldStart.done once FCP, the full
 * count in the header and (for a non-empty library) the first row of thumbnails are seen.
 * @param {number} expected the library's size
 */
function probe(expected) {
  if (location.pathname !== '/library') return
  const state = { expected, done: false }
  window.coldStart = state
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'first-contentful-paint') state.fcpMs = entry.startTime
    }
  }).observe({ type: 'paint', buffered: true })
  // As the toolbar writes it (countLabel in app/library/_components/library-toolbar.tsx).
  const label = expected === 1 ? '1 image' : `${expected.toLocaleString()} images`
  const check = (now) => {
    if (state.countMs === undefined) {
      for (const element of document.querySelectorAll('[aria-live="polite"]')) {
        if (element.textContent.trim() === label) state.countMs = now
      }
    }
    if (state.firstRowMs === undefined && expected > 0) {
      const grid = document.querySelector('[role="grid"][aria-label="Images"]')
      const columns = Number(grid?.getAttribute('aria-colcount'))
      const row = grid?.querySelector('[role="row"][aria-rowindex="1"]')
      const cells = row ? [...row.querySelectorAll('[role="gridcell"]')] : []
      const loaded = cells.every((cell) => {
        const img = cell.querySelector('img')
        return img?.complete && img.naturalWidth > 0
      })
      if (columns > 0 && cells.length === Math.min(columns, expected) && loaded) {
        state.firstRowMs = now
        state.columns = columns
      }
    }
    state.done =
      state.fcpMs !== undefined &&
      state.countMs !== undefined &&
      (expected === 0 || state.firstRowMs !== undefined)
    if (!state.done) requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
}

/** Medians of the runs' figures. */
function summarize(results) {
  const pick = (key) => {
    const values = results.map((r) => r[key]).filter((v) => v !== undefined)
    return values.length ? medianOf(values) : undefined
  }
  return {
    fcpMs: pick('fcpMs'),
    countMs: pick('countMs'),
    firstRowMs: pick('firstRowMs'),
    responseStartMs: pick('responseStartMs'),
    domContentLoadedMs: pick('domContentLoadedMs'),
    loadMs: pick('loadMs'),
    controlledShare: results.filter((r) => r.controlled).length / results.length,
  }
}

function describe(count, kind, median, results) {
  const list = (key) => results.map((r) => (r[key] === undefined ? '–' : Math.round(r[key])))
  return [
    `${count.toLocaleString('en')} images, ${kind} loads (median of ${results.length}): ` +
      `FCP ${ms(median.fcpMs)}, count shown ${ms(median.countMs)}` +
      (median.firstRowMs === undefined ? '' : `, first row ${ms(median.firstRowMs)}`) +
      `; response ${ms(median.responseStartMs)}, DOMContentLoaded ` +
      `${ms(median.domContentLoadedMs)}, load ${ms(median.loadMs)}`,
    `  runs: FCP ${list('fcpMs').join(' ')} | count ${list('countMs').join(' ')}` +
      (count > 0 ? ` | first row ${list('firstRowMs').join(' ')}` : '') +
      ` (ms; ${results.filter((r) => r.controlled).length}/${results.length} controlled)`,
  ].join('\n')
}

function ms(value) {
  return value === undefined ? '–' : `${Math.round(value)} ms`
}
