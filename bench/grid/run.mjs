#!/usr/bin/env node
// Thumbnail grid benchmark (`npm run bench:grid`; a script that prints figures, not a test):
// does the library's virtualized grid stay smooth with --count images?
//
// 1. Starts the production server (`next build` first only if .next/ has no build) in its own
//    process group, and stops the whole group on exit.
// 2. Generates --count small distinct JPEG photos (long side 200–480 px) from the decodable
//    photos in fixtures/, cropped and scaled in headless Chromium (canvas → JPEG), into
//    bench/grid/.work/ (gitignored; reused while the count and fixtures are unchanged; a run
//    with another --count replaces the cached set).
// 3. In one fresh browser profile (viewport 1280×800) fills the library through the real import
//    path: sets the photos on input[data-testid="import-input"] in batches and waits for each
//    [data-testid="import-summary"][data-added=<batch>]. Prints the fill time.
// 4. --runs times on that filled profile: reloads /library, waits until the thumbnails in view
//    have decoded, then scrolls the window from top to bottom at a steady 1 viewport per 500 ms
//    (window.scrollTo in requestAnimationFrame steps, position from the frame time). Records
//    every animation frame's interval, long tasks (PerformanceObserver 'longtask'), the cells
//    and DOM nodes in the grid, and the visible cells whose thumbnail has not decoded yet
//    (blank). Then jumps to the middle (window.scrollTo) and times until every visible cell's
//    <img> is complete with naturalWidth > 0. Memory (process tree RSS / PSS, PSS by process
//    type, JS heap and DOM nodes, after a forced GC) before and after. The per-frame probes
//    (a querySelectorAll and the rows' rects) add a little main-thread work to the grid's frames.
// 5. Reference, in each run: the same scroll on a static page of the same height (one tall
//    div, served on the app's origin through page.route), for the grid / reference ratio of
//    the p95 frame interval.
//
// Figures are for headless Chromium with software rendering (no GPU) on this 2-core machine:
// headless rAF runs at ~60 Hz, so a smooth frame interval is ≈ 16.7 ms and a frame over 33 ms
// means at least one dropped frame. Compare runs on the same machine only.
// Prints each run and the medians; writes the figures as JSON to bench/grid/.work/results/.
// Options: node bench/grid/run.mjs --help

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
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
  pageSize,
  positiveInt,
  preparePhotos,
  processTree,
  readPss,
  root,
  runBench,
  seconds,
  settle,
  sleep,
  startServer,
  viewport,
  withFreshBrowser,
} from '../lib.mjs'

const workDir = path.join(root, 'bench/grid/.work')
const photoSpec = { minSide: 200, maxSide: 480, seed: 1, jpegQuality: 0.9 }
/** Files set on the import input at once; each batch waits for its own summary. */
const fillBatch = 1000
/** One viewport height per 500 ms. */
const scrollPxPerMs = viewport.height / 500
const jankMs = 33
const gridSelector = '[role="grid"][aria-label="Images"]'
const referencePath = '/__bench/grid-reference'

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '900' },
    help: { type: 'boolean', default: false },
  },
})

if (options.help) {
  console.log(`Usage: npm run bench:grid -- [options]

  --count N     images to generate and import into the library (default 5000)
  --runs N      scroll measurements on the filled library, each with a reference (default 3)
  --timeout S   limit for each import batch and each wait, seconds (default 900)`)
  process.exit(0)
}

const count = positiveInt(options, 'count')
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

  const baseURL = await startServer({ logFile: path.join(workDir, 'server.log') })
  const photos = await preparePhotos({ workDir, count, ...photoSpec, logEvery: 500 })
  const bytes = photos.reduce((sum, file) => sum + statSync(file).size, 0)
  console.log(
    `\n${photos.length} photos (long side ${photoSpec.minSide}–${photoSpec.maxSide} px), ` +
      `${formatBytes(bytes)}; server ${baseURL}`,
  )
  console.log(
    `Chromium: ${chromiumVersion()}; ${os.cpus().length} cores; Node ${process.version}; ` +
      `viewport ${viewport.width}×${viewport.height}, headless, software rendering`,
  )

  const figures = await withFreshBrowser(async (context, page, browserPid) => {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const fill = await fillLibrary(baseURL, page, photos)
    console.log(
      `Filled the library with ${count} images in ${seconds(fill.ms)} ` +
        `(${(count / (fill.ms / 1000)).toFixed(1)} images/s; ${fill.batches.length} ` +
        `${fill.batches.length === 1 ? 'batch' : 'batches'} of up to ${fillBatch}; ` +
        `storage in use ${formatBytes(fill.storageUsage)})`,
    )

    await context.addInitScript(watchColumns)
    const results = []
    for (let run = 1; run <= runs; run++) {
      const result = await scrollRun(baseURL, page, cdp, browserPid)
      if (run === 1) {
        const { columns, rows, pageHeight } = result.layout
        console.log(
          `Grid: ${columns} columns × ${rows} rows, page ${pageHeight.toLocaleString('en')} px ` +
            `tall; scrolling at ${Math.round(scrollPxPerMs * 1000)} px/s (1 viewport per 500 ms), ` +
            `${seconds((pageHeight - viewport.height) / scrollPxPerMs)} per pass`,
        )
      }
      results.push({ run, ...result })
      console.log(describeRun(`\nrun ${run}/${runs}`, result))
    }
    return { fill, results }
  })

  const { results } = figures
  const pick = (fn) => medianOf(results.map(fn))
  const summarize = (key) => ({
    frames: pick((r) => r[key].frames),
    medianMs: pick((r) => r[key].medianMs),
    p95Ms: pick((r) => r[key].p95Ms),
    maxMs: pick((r) => r[key].maxMs),
    jankyShare: pick((r) => r[key].jankyShare),
    longTasks: pick((r) => r[key].longTasks),
    longTaskMs: pick((r) => r[key].longTaskMs),
    maxCells: pick((r) => r[key].maxCells),
    maxNodes: pick((r) => r[key].maxNodes),
    blankShare: pick((r) => r[key].blankShare),
    blankFrameShare: pick((r) => r[key].blankFrameShare),
  })
  const median = {
    openMs: pick((r) => r.openMs),
    grid: summarize('grid'),
    reference: summarize('reference'),
    p95Ratio: pick((r) => r.p95Ratio),
    jumpMs: pick((r) => r.jump.ms ?? Infinity),
    jumpCells: pick((r) => r.jump.visible),
    memory: Object.fromEntries(
      ['before', 'after'].map((when) => [
        when,
        {
          ...Object.fromEntries(
            ['rss', 'pss', 'jsHeap', 'nodes'].map((k) => [k, pick((r) => r.memory[when][k])]),
          ),
          pssByType: Object.fromEntries(
            [...new Set(results.flatMap((r) => Object.keys(r.memory[when].pssByType)))].map(
              (type) => [type, pick((r) => r.memory[when].pssByType[type] ?? 0)],
            ),
          ),
        },
      ]),
    ),
  }
  console.log(
    describeRun(`\nmedian of ${runs} runs`, {
      ...median,
      jump: { ms: median.jumpMs, visible: median.jumpCells },
    }),
  )
  console.log(
    `Grid p95 frame interval ${median.grid.p95Ms.toFixed(1)} ms vs ${median.reference.p95Ms.toFixed(1)} ms ` +
      `on a static page of the same height (${median.p95Ratio.toFixed(2)}×); ` +
      `${percent(median.grid.jankyShare)} of grid frames over ${jankMs} ms.`,
  )

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
  const parameters = { count, runs, ...photoSpec, bytes, fillBatch, scrollPxPerMs, jankMs, baseURL }
  writeFileSync(
    file,
    `${JSON.stringify({ environment, parameters, fill: figures.fill, results, median }, null, 2)}\n`,
  )
  console.log(`Figures written to ${path.relative(root, file)}`)
}

// ---------------------------------------------------------------------------------------------
// Fill

/** Imports the photos through the app's import input, batch by batch (bench/lib.mjs). */
async function fillLibrary(baseURL, page, photos) {
  await page.goto(`${baseURL}/library`, { waitUntil: 'load', timeout: 60_000 })
  const { ms, batches } = await importPhotos(page, photos, { batch: fillBatch, timeoutMs })
  const storageUsage = await page.evaluate(async () => (await navigator.storage.estimate()).usage)
  return { ms, batches, storageUsage }
}

// ---------------------------------------------------------------------------------------------
// Scrolling

/** One measurement: open /library, scroll it, jump to the middle; then the reference scroll. */
async function scrollRun(baseURL, page, cdp, browserPid) {
  const opened = performance.now()
  await page.goto(`${baseURL}/library`, { waitUntil: 'load', timeout: 60_000 })
  await page.evaluate(installProbes)
  await settle(
    page,
    page.waitForFunction(
      ({ selector, count }) => {
        const grid = document.querySelector(selector)
        const columns = Number(grid?.getAttribute('aria-colcount'))
        const rows = Number(grid?.getAttribute('aria-rowcount'))
        return columns > 0 && rows === Math.ceil(count / columns)
      },
      { selector: gridSelector, count },
      { timeout: timeoutMs, polling: 100 },
    ),
    `the grid with ${count} images`,
  )
  const inView = await settle(
    page,
    page.evaluate((args) => window.gridBench.waitInView(args), {
      selector: gridSelector,
      timeoutMs,
    }),
    'the first thumbnails',
  )
  if (inView.ms === undefined) throw new Error('the thumbnails in view did not decode (--timeout)')
  const openMs = performance.now() - opened
  await sleep(1000)
  const layout = await page.evaluate((selector) => {
    const grid = document.querySelector(selector)
    return {
      columns: Number(grid.getAttribute('aria-colcount')),
      rows: Number(grid.getAttribute('aria-rowcount')),
      pageHeight: document.documentElement.scrollHeight,
      columnsSeen: window.gridColumnsSeen ?? [],
    }
  }, gridSelector)
  if (layout.columnsSeen.length > 1) {
    console.warn(`  while /library opened, the grid had ${layout.columnsSeen.join(' → ')} columns`)
  }

  const before = await readMemory(page, cdp, browserPid)
  const grid = await measureScroll(page, gridSelector)
  if (grid.maxIndex !== count - 1) {
    console.warn(`  the scroll reached cell ${grid.maxIndex}, not the last one (${count - 1})`)
  }
  await sleep(1000)
  const jump = await settle(
    page,
    page.evaluate((args) => window.gridBench.jump(args), { selector: gridSelector, timeoutMs }),
    'the jump to the middle',
  )
  const after = await readMemory(page, cdp, browserPid)

  // The reference: a static page of the same height on the same origin.
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  const url = `${baseURL}${referencePath}?height=${height}`
  const isReference = (address) => address.pathname === referencePath
  await page.route(isReference, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
      body: `<!doctype html>
<meta charset="utf-8">
<title>grid reference</title>
<style>html, body { margin: 0 }</style>
<div id="tall" style="height: ${height}px"></div>`,
    }),
  )
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 })
  await page.unroute(isReference)
  await page.evaluate(installProbes)
  await sleep(1000)
  const reference = await measureScroll(page, '#tall')

  return {
    layout,
    openMs,
    grid,
    reference,
    p95Ratio: grid.p95Ms / reference.p95Ms,
    jump,
    memory: { before, after },
  }
}

/** Runs the in-page scroll and turns its frame times into figures. */
async function measureScroll(page, selector) {
  const raw = await settle(
    page,
    page.evaluate((args) => window.gridBench.scroll(args), {
      selector,
      pxPerMs: scrollPxPerMs,
    }),
    'the scroll',
  )
  const intervals = raw.times.slice(1).map((t, i) => t - raw.times[i])
  const sorted = [...intervals].sort((a, b) => a - b)
  const rest = { ...raw }
  delete rest.times
  return {
    ...rest,
    frames: intervals.length,
    medianMs: medianOf(intervals),
    p95Ms: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)],
    maxMs: sorted[sorted.length - 1],
    jankyShare: intervals.filter((ms) => ms > jankMs).length / intervals.length,
    blankShare: raw.visibleCellFrames ? raw.blankCellFrames / raw.visibleCellFrames : 0,
    blankFrameShare: raw.blankFrames / intervals.length,
  }
}

/**
 * Memory after a forced GC: the browser's process tree (RSS, PSS), the page's JS heap (main
 * thread) and its DOM nodes (Memory.getDOMCounters; counts nodes not yet collected too).
 */
async function readMemory(page, cdp, browserPid) {
  await cdp.send('HeapProfiler.collectGarbage')
  await sleep(500)
  const tree = processTree(browserPid)
  const { metrics } = await cdp.send('Performance.getMetrics')
  const { nodes } = await cdp.send('Memory.getDOMCounters')
  /** PSS by Chromium process type (browser, renderer, gpu-process, utility …). */
  const pssByType = {}
  let pss = 0
  for (const p of tree) {
    const bytes = readPss(p.pid)
    const type = processType(p.pid)
    pssByType[type] = (pssByType[type] ?? 0) + bytes
    pss += bytes
  }
  return {
    rss: tree.reduce((sum, p) => sum + p.rssPages * pageSize, 0),
    pss,
    pssByType,
    jsHeap: metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0,
    nodes,
  }
}

/** A Chromium process's --type (utilities by their sub-type), 'browser' for the main one. */
function processType(pid) {
  let cmdline
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return 'gone'
  }
  // Chromium's child processes rewrite their command line as one space-separated string.
  const value = (flag) => new RegExp(`(?:^|[\\0 ])${flag}=([^\\0 ]+)`).exec(cmdline)?.[1]
  const type = value('--type')
  if (type === 'utility') return value('--utility-sub-type')?.split('.')[0] ?? 'utility'
  return type ?? 'browser'
}

/** In every page, from its start: records each column count the grid shows, in order. */
function watchColumns() {
  window.gridColumnsSeen = []
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.target.getAttribute('role') !== 'grid') continue
      const seen = window.gridColumnsSeen
      // The value the grid was inserted with shows only as the first change's old value.
      if (seen.length === 0 && record.oldValue) seen.push(Number(record.oldValue))
      const columns = Number(record.target.getAttribute('aria-colcount'))
      if (columns && seen.at(-1) !== columns) seen.push(columns)
    }
  }).observe(document, {
    subtree: true,
    attributes: true,
    attributeOldValue: true,
    attributeFilter: ['aria-colcount'],
  })
}

/** In the page: defines window.gridBench (scroll, jump, waitInView). */
function installProbes() {
  /** Cells in rows that intersect the viewport, and how many of them show no decoded image. */
  const visibleCells = (grid) => {
    let visible = 0
    let blank = 0
    let first = -1
    if (!grid) return { visible, blank, first }
    for (const row of grid.children) {
      const rect = row.getBoundingClientRect()
      if (rect.bottom <= 0 || rect.top >= window.innerHeight) continue
      for (const cell of row.querySelectorAll('[role="gridcell"]')) {
        visible++
        const img = cell.querySelector('img')
        if (!(img && img.complete && img.naturalWidth > 0)) blank++
        const index = Number(cell.dataset.index)
        if (first < 0 || index < first) first = index
      }
    }
    return { visible, blank, first }
  }

  /** Resolves once the visible cells all show a decoded image (ms), or after timeoutMs. */
  const untilDecoded = (grid, started, timeoutMs) =>
    new Promise((resolve) => {
      const check = () => {
        const cells = visibleCells(grid)
        const now = performance.now()
        if (cells.visible > 0 && cells.blank === 0) {
          resolve({ ms: now - started, ...cells })
        } else if (now - started > timeoutMs) {
          resolve({ ms: undefined, ...cells })
        } else {
          requestAnimationFrame(check)
        }
      }
      requestAnimationFrame(check)
    })

  window.gridBench = {
    waitInView({ selector, timeoutMs }) {
      return untilDecoded(document.querySelector(selector), performance.now(), timeoutMs)
    },

    jump({ selector, timeoutMs }) {
      const grid = document.querySelector(selector)
      const maxY = document.documentElement.scrollHeight - window.innerHeight
      const started = performance.now()
      window.scrollTo({ top: Math.round(maxY / 2), behavior: 'instant' })
      return untilDecoded(grid, started, timeoutMs)
    },

    /**
     * Scrolls from the top to the bottom at pxPerMs, one window.scrollTo per animation frame
     * (the position follows the frame time, so a late frame jumps further, as a fling would).
     * Records each frame's time and, per frame, the cells and nodes in `selector`, the highest
     * cell index and the visible cells without a decoded image.
     */
    async scroll({ selector, pxPerMs }) {
      const grid = document.querySelector(selector)
      const nodes = grid.getElementsByTagName('*')
      window.scrollTo({ top: 0, behavior: 'instant' })
      await new Promise(requestAnimationFrame)
      await new Promise(requestAnimationFrame)
      const maxY = document.documentElement.scrollHeight - window.innerHeight

      const longTasks = []
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry)
      })
      observer.observe({ type: 'longtask' })

      const times = []
      let maxCells = 0
      let maxNodes = 0
      let maxIndex = -1
      let blankFrames = 0
      let blankCellFrames = 0
      let visibleCellFrames = 0
      let start
      let atBottom = false
      await new Promise((resolve) => {
        const step = (time) => {
          start ??= time
          times.push(time)
          const cells = grid.querySelectorAll('[role="gridcell"]')
          maxCells = Math.max(maxCells, cells.length)
          maxNodes = Math.max(maxNodes, nodes.length)
          const last = cells[cells.length - 1]
          if (last) maxIndex = Math.max(maxIndex, Number(last.dataset.index))
          const view = visibleCells(grid)
          visibleCellFrames += view.visible
          blankCellFrames += view.blank
          if (view.blank > 0) blankFrames++
          if (atBottom) return resolve()
          const y = Math.min(maxY, (time - start) * pxPerMs)
          window.scrollTo({ top: y, behavior: 'instant' })
          atBottom = y >= maxY
          requestAnimationFrame(step)
        }
        requestAnimationFrame(step)
      })
      const end = times[times.length - 1]
      // Long-task entries arrive after their task: give the last ones time to come in.
      await new Promise((resolve) => setTimeout(resolve, 500))
      for (const entry of observer.takeRecords()) longTasks.push(entry)
      observer.disconnect()
      const during = longTasks.filter((t) => t.startTime >= start && t.startTime <= end)
      return {
        times,
        durationMs: end - start,
        finalY: window.scrollY,
        maxY,
        maxCells,
        maxNodes,
        maxIndex,
        blankFrames,
        blankCellFrames,
        visibleCellFrames,
        longTasks: during.length,
        longTaskMs: during.reduce((sum, t) => sum + t.duration, 0),
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Output

/** A run (or the medians) as a few aligned lines. */
function describeRun(label, r) {
  const row = (name, s) =>
    `  ${name.padEnd(10)} ${String(Math.round(s.frames)).padStart(5)} frames  median ${ms(s.medianMs)}` +
    `  p95 ${ms(s.p95Ms)}  max ${ms(s.maxMs)}  >${jankMs} ms ${percent(s.jankyShare)}` +
    `  long tasks ${s.longTasks} (${seconds(s.longTaskMs)})`
  const jump =
    r.jump.ms === undefined || !Number.isFinite(r.jump.ms)
      ? `not all decoded within ${timeoutMs / 1000} s`
      : `${Math.round(r.jump.ms)} ms`
  const { before, after } = r.memory
  return [
    `${label} (library opened, thumbnails in view decoded, after ${seconds(r.openMs)}):`,
    row('grid', r.grid),
    `  ${''.padEnd(10)} max ${r.grid.maxCells} cells / ${r.grid.maxNodes} elements in the grid;` +
      ` visible cells without a decoded thumbnail: ${percent(r.grid.blankShare)} of cell-frames,` +
      ` in ${percent(r.grid.blankFrameShare)} of frames`,
    row('reference', r.reference),
    `  p95 frame interval grid / reference: ${r.p95Ratio.toFixed(2)}×`,
    `  jump to the middle: the ${r.jump.visible} thumbnails in view decoded after ${jump}`,
    `  memory after GC, before → after the scroll and jump: RSS ${formatBytes(before.rss)} → ` +
      `${formatBytes(after.rss)}, PSS ${formatBytes(before.pss)} → ${formatBytes(after.pss)}, ` +
      `JS heap ${formatBytes(before.jsHeap)} → ${formatBytes(after.jsHeap)}, ` +
      `DOM nodes ${before.nodes} → ${after.nodes}`,
    `  PSS change by process type: ${pssChanges(before.pssByType, after.pssByType)}`,
  ].join('\n')
}

/** The largest PSS changes between two readings, by process type. */
function pssChanges(before, after) {
  const types = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...types]
    .map((type) => ({ type, change: (after[type] ?? 0) - (before[type] ?? 0) }))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
    .slice(0, 4)
    .map(({ type, change }) => `${type} ${change < 0 ? '−' : '+'}${formatBytes(Math.abs(change))}`)
    .join(', ')
}

function ms(value) {
  return `${value.toFixed(1)} ms`
}

function percent(share) {
  return `${(share * 100).toFixed(1)} %`
}
