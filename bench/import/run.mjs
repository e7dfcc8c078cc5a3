#!/usr/bin/env node
// Import benchmark (`npm run bench:import`; a script, not a test).
//
// 1. Starts the production server (`next build` first if .next/ has no build, or with --build) in
//    its own process group, and stops the whole group on exit (`next start` forks a child that
//    outlives its parent).
// 2. Generates --count JPEG photos (long side spread from --min to --max px) from the decodable
//    photos in fixtures/, by cropping and scaling them in headless Chromium (canvas,
//    toBlob('image/jpeg', 0.9)), into bench/import/.work/ (gitignored; reused while the
//    parameters and fixtures are unchanged).
// 3. --runs times, each in a fresh browser with a fresh user-data-dir: opens /library, sets the
//    photos on input[data-testid="import-input"] and waits for
//    [data-testid="import-summary"][data-added=<count>]. Measures wall time from setInputFiles to
//    that summary, and every 200 ms the summed RSS of the Chromium process tree (/proc) and the
//    page's JS heap (CDP Performance.getMetrics; main thread only, workers are in the RSS).
// 4. After each import, a reference in another fresh browser: one page that only decodes
//    (createImageBitmap) and hashes (SHA-256) each file, serially, with no storage.
//
// Prints each run, the medians and the import/reference time ratio; writes the figures as JSON to
// bench/import/.work/results/. Options: node bench/import/run.mjs --help

import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  chromiumVersion,
  formatBytes,
  gitCommit,
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
  startServer,
  withFreshBrowser,
} from '../lib.mjs'

const workDir = path.join(root, 'bench/import/.work')
const sampleEveryMs = 200
const pssEvery = 10 // samples
const jpegQuality = 0.9

/** The reference page: decode and hash each chosen file, serially, and store nothing. */
const referenceHtml = `<!doctype html>
<meta charset="utf-8">
<title>import reference</title>
<input id="files" type="file" multiple>
<script>
  document.getElementById('files').addEventListener('change', async (event) => {
    let done = 0
    const errors = []
    for (const file of event.target.files) {
      try {
        const bitmap = await createImageBitmap(file)
        bitmap.close()
        await crypto.subtle.digest('SHA-256', await file.arrayBuffer())
        done++
      } catch (error) {
        errors.push(file.name + ': ' + error)
      }
    }
    document.body.dataset.errors = JSON.stringify(errors)
    document.body.dataset.done = String(done)
  })
</script>`

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '500' },
    runs: { type: 'string', default: '3' },
    min: { type: 'string', default: '640' },
    max: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '900' },
    'base-url': { type: 'string' },
    build: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    'no-reference': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

if (options.help) {
  console.log(`Usage: npm run bench:import -- [options]

  --count N        photos to generate and import (default 500)
  --runs N         import runs, each in a fresh user-data-dir (default 3)
  --min PX         smallest long side (default 640)
  --max PX         largest long side (default 4000)
  --seed N         generator seed (default 1)
  --timeout S      per import / reference run, seconds (default 900)
  --base-url URL   use a server that is already running instead of starting next start
  --build          run next build even if .next/ holds a build
  --regenerate     regenerate the photos even if cached ones match
  --no-reference   skip the decode + hash reference`)
  process.exit(0)
}

const count = positiveInt(options, 'count')
const runs = positiveInt(options, 'runs')
const minSide = positiveInt(options, 'min')
const maxSide = positiveInt(options, 'max')
const seed = positiveInt(options, 'seed')
const timeoutMs = positiveInt(options, 'timeout') * 1000

await runBench(main)

async function main() {
  if (!existsSync(launchOptions.executablePath)) {
    throw new Error(
      `${launchOptions.executablePath} is missing: apt-get update && apt-get install -y chromium`,
    )
  }
  if (minSide > maxSide) throw new Error('--min must not exceed --max')
  mkdirSync(workDir, { recursive: true })

  const baseURL =
    options['base-url']?.replace(/\/$/, '') ??
    (await startServer({ build: options.build, logFile: path.join(workDir, 'server.log') }))
  const photos = await preparePhotos({
    workDir,
    count,
    minSide,
    maxSide,
    seed,
    jpegQuality,
    regenerate: options.regenerate,
  })
  const bytes = photos.reduce((sum, file) => sum + statSync(file).size, 0)
  console.log(`\n${photos.length} photos, ${formatBytes(bytes)}; server ${baseURL}`)
  console.log(`Chromium: ${chromiumVersion()}; ${os.cpus().length} cores; Node ${process.version}`)

  const results = []
  for (let run = 1; run <= runs; run++) {
    const imported = await importRun(baseURL, photos)
    const reference = options['no-reference'] ? undefined : await referenceRun(baseURL, photos)
    const result = {
      run,
      import: imported,
      reference,
      ratio: reference && imported.ms / reference.ms,
    }
    results.push(result)
    console.log(describeRun(`run ${run}/${runs}`, result))
  }

  const median = {
    import: {
      ms: medianOf(results.map((r) => r.import.ms)),
      imagesPerSecond: medianOf(results.map((r) => r.import.imagesPerSecond)),
      peakRss: medianOf(results.map((r) => r.import.peakRss)),
      peakPss: medianOf(results.map((r) => r.import.peakPss)),
      peakJsHeap: medianOf(results.map((r) => r.import.peakJsHeap)),
      idleRss: medianOf(results.map((r) => r.import.idleRss)),
      idlePss: medianOf(results.map((r) => r.import.idlePss)),
    },
    reference: options['no-reference']
      ? undefined
      : {
          ms: medianOf(results.map((r) => r.reference.ms)),
          imagesPerSecond: medianOf(results.map((r) => r.reference.imagesPerSecond)),
          peakRss: medianOf(results.map((r) => r.reference.peakRss)),
          peakPss: medianOf(results.map((r) => r.reference.peakPss)),
          peakJsHeap: medianOf(results.map((r) => r.reference.peakJsHeap)),
        },
    ratio: options['no-reference'] ? undefined : medianOf(results.map((r) => r.ratio)),
  }
  console.log(`\n${describeRun(`median of ${runs} runs`, median)}`)
  if (median.ratio !== undefined) {
    console.log(
      `The import takes ${median.ratio.toFixed(2)}× the time of decoding and hashing the same ` +
        `files in one page (${median.reference.imagesPerSecond.toFixed(1)} images/s).`,
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
  }
  const parameters = { count, runs, minSide, maxSide, seed, jpegQuality, bytes, baseURL }
  writeFileSync(file, `${JSON.stringify({ environment, parameters, results, median }, null, 2)}\n`)
  console.log(`Figures written to ${path.relative(root, file)}`)
}

// ---------------------------------------------------------------------------------------------
// Runs

/** One import through the app's UI, in a fresh browser and user-data-dir. */
async function importRun(baseURL, photos) {
  return withFreshBrowser(async (context, page, browserPid) => {
    await page.goto(`${baseURL}/library`, { waitUntil: 'load', timeout: 60_000 })
    const input = page.locator('input[data-testid="import-input"]')
    await input.waitFor({ state: 'attached', timeout: 30_000 })
    const summary = page.locator('[data-testid="import-summary"]')

    const sampler = await startSampler(context, page, browserPid)
    const { rss: idleRss, pss: idlePss } = sampler.current
    let ms
    try {
      const started = performance.now()
      await input.setInputFiles(photos, { timeout: 120_000 })
      const finished = summary.waitFor({ state: 'attached', timeout: timeoutMs }).catch((error) => {
        if (error?.name !== 'TimeoutError') throw error
        throw new Error(`no import summary within ${timeoutMs / 1000} s (--timeout)`)
      })
      await settle(page, finished, 'the import summary')
      ms = performance.now() - started
    } finally {
      await sampler.stop()
    }
    const memory = sampler.peaks()

    const added = await summary.getAttribute('data-added')
    const text = (await summary.innerText()).replace(/\s+/g, ' ').trim()
    if (added !== String(photos.length)) {
      throw new Error(`the import added ${added} of ${photos.length} images: "${text}"`)
    }
    return {
      ms,
      imagesPerSecond: photos.length / (ms / 1000),
      idleRss,
      idlePss,
      ...memory,
      summary: text,
    }
  })
}

/** Decode + hash every file serially in one page of the same browser; no storage. */
async function referenceRun(baseURL, photos) {
  return withFreshBrowser(async (context, page, browserPid) => {
    // Served on the app's origin (a secure context), with the app's isolation headers.
    const url = `${baseURL}/__bench/import-reference`
    await page.route(url, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        },
        body: referenceHtml,
      }),
    )
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 })
    const input = page.locator('#files')

    const sampler = await startSampler(context, page, browserPid)
    let ms
    try {
      const started = performance.now()
      await input.setInputFiles(photos, { timeout: 120_000 })
      const finished = page
        .locator('body[data-done]')
        .waitFor({ state: 'attached', timeout: timeoutMs })
        .catch((error) => {
          if (error?.name !== 'TimeoutError') throw error
          throw new Error(`the reference did not finish within ${timeoutMs / 1000} s (--timeout)`)
        })
      await settle(page, finished, 'the reference')
      ms = performance.now() - started
    } finally {
      await sampler.stop()
    }
    const memory = sampler.peaks()

    const done = Number(await page.locator('body').getAttribute('data-done'))
    if (done !== photos.length) {
      const errors = JSON.parse((await page.locator('body').getAttribute('data-errors')) ?? '[]')
      throw new Error(
        `the reference handled ${done} of ${photos.length} files: ${errors.slice(0, 3).join('; ')}`,
      )
    }
    return { ms, imagesPerSecond: photos.length / (ms / 1000), ...memory }
  })
}

// ---------------------------------------------------------------------------------------------
// Memory

/**
 * Samples every 200 ms: the summed RSS of the browser's process tree, and the page's JS heap
 * (skipping a heap sample while the previous CDP call is still waiting on a busy page). Every
 * 2 s also the summed PSS, which counts pages shared between Chromium's processes once; it
 * costs ≈ 5 ms of CPU per process (smaps_rollup), too much for every sample.
 */
async function startSampler(context, page, browserPid) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  const current = { rss: 0, pss: 0, jsHeap: 0 }
  let peakRss = 0
  let peakPss = 0
  let peakJsHeap = 0
  let samples = 0
  let heapPending

  const sampleHeap = () => {
    heapPending ??= cdp
      .send('Performance.getMetrics')
      .then(({ metrics }) => {
        current.jsHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0
        peakJsHeap = Math.max(peakJsHeap, current.jsHeap)
      })
      .catch(() => {})
      .finally(() => (heapPending = undefined))
    return heapPending
  }
  const sample = () => {
    const tree = processTree(browserPid)
    current.rss = tree.reduce((sum, p) => sum + p.rssPages * pageSize, 0)
    peakRss = Math.max(peakRss, current.rss)
    if (samples % pssEvery === 0) {
      current.pss = tree.reduce((sum, p) => sum + readPss(p.pid), 0)
      peakPss = Math.max(peakPss, current.pss)
    }
    samples++
    return sampleHeap()
  }

  await sample()
  const timer = setInterval(sample, sampleEveryMs)
  timer.unref()
  let stopped = false
  return {
    current,
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      samples = 0 // the last sample includes the PSS
      await sample()
      await cdp.detach().catch(() => {})
    },
    peaks: () => ({ peakRss, peakPss, peakJsHeap }),
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A run (or the medians) as a few aligned lines. */
function describeRun(label, { import: imported, reference, ratio }) {
  const row = (name, r, idle) =>
    `  ${name.padEnd(10)} ${seconds(r.ms).padStart(8)}  ${r.imagesPerSecond.toFixed(1).padStart(6)} images/s` +
    `  peak RSS ${formatBytes(r.peakRss)}${idle ? ` (idle ${formatBytes(r.idleRss)})` : ''}` +
    `  peak PSS ${formatBytes(r.peakPss)}${idle ? ` (idle ${formatBytes(r.idlePss)})` : ''}` +
    `  peak JS heap ${formatBytes(r.peakJsHeap)}`
  const lines = [`${label}:`, row('import', imported, true)]
  if (reference) {
    lines.push(row('reference', reference, false))
    lines.push(`  import time / reference time: ${ratio.toFixed(2)}×`)
  }
  return lines.join('\n')
}
