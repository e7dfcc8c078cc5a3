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

import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const workDir = path.join(root, 'bench/import/.work')
const fixturesDir = path.join(root, 'fixtures')
const nextBin = path.join(root, 'node_modules/next/dist/bin/next')

/** Keep in step with `launchOptions` in playwright.config.ts. */
const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
  headless: true,
}
const viewport = { width: 1280, height: 800 }
const sampleEveryMs = 200
const pssEvery = 10 // samples
const jpegQuality = 0.9
const photoFormatVersion = 1 // bump when the generator changes, to regenerate cached photos
const pageSize = Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout) || 4096

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

const count = positiveInt('count')
const runs = positiveInt('runs')
const minSide = positiveInt('min')
const maxSide = positiveInt('max')
const seed = positiveInt('seed')
const timeoutMs = positiveInt('timeout') * 1000

/** Undo steps, run last-in first-out on exit, error or signal. */
const cleanups = []
/** Process groups to SIGKILL, and user-data-dirs to remove, if we exit without the cleanups. */
const groups = new Set()
const profiles = new Set()

process.on('exit', () => {
  for (const pid of groups) killGroup(pid, 'SIGKILL')
  for (const profile of profiles) {
    try {
      rmSync(profile, { recursive: true, force: true })
    } catch {
      // best effort while exiting
    }
  }
})
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) return
    interrupted = true
    console.error(`\nbench: ${signal}, cleaning up`)
    cleanUp().finally(() => process.exit(130))
  })
}

try {
  await main()
} catch (error) {
  if (!interrupted) {
    console.error(
      `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    )
  }
  process.exitCode = 1
} finally {
  await cleanUp()
}

async function main() {
  if (!existsSync(launchOptions.executablePath)) {
    throw new Error(
      `${launchOptions.executablePath} is missing: apt-get update && apt-get install -y chromium`,
    )
  }
  if (minSide > maxSide) throw new Error('--min must not exceed --max')
  mkdirSync(workDir, { recursive: true })

  const baseURL = options['base-url']?.replace(/\/$/, '') ?? (await startServer())
  const photos = await preparePhotos()
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
// Server

async function startServer() {
  if (options.build || !existsSync(path.join(root, '.next/BUILD_ID'))) {
    console.log(options.build ? 'Building (--build)' : 'No build in .next/: running next build')
    const code = await runGroup(process.execPath, [nextBin, 'build'], 'inherit')
    if (code !== 0) throw new Error(`next build exited with ${code}`)
  }

  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const logFile = path.join(workDir, 'server.log')
  const log = openSync(logFile, 'w')
  const server = spawn(
    process.execPath,
    [nextBin, 'start', '--hostname', '127.0.0.1', '--port', String(port)],
    { cwd: root, detached: true, stdio: ['ignore', log, log], env: childEnv() },
  )
  closeSync(log)
  groups.add(server.pid)
  let exited = false
  server.on('exit', () => (exited = true))
  cleanups.push(async () => {
    await stopGroup(server.pid)
    groups.delete(server.pid)
  })

  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`next start exited early; see ${path.relative(root, logFile)}`)
    try {
      const response = await fetch(`${baseURL}/library`, { signal: AbortSignal.timeout(5_000) })
      if (response.ok) break
      throw new Error(`HTTP ${response.status}`)
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`next start did not answer on ${baseURL}/library within 60 s: ${error}`)
      }
      await sleep(250)
    }
  }
  console.log(`next start is up on ${baseURL} (log: ${path.relative(root, logFile)})`)
  return baseURL
}

/** Runs a command in its own process group; resolves with its exit code. */
function runGroup(command, args, stdio) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, detached: true, stdio, env: childEnv() })
    groups.add(child.pid)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      killGroup(child.pid, 'SIGKILL')
      groups.delete(child.pid)
      resolve(code ?? `signal ${signal}`)
    })
  })
}

async function stopGroup(pid) {
  killGroup(pid, 'SIGTERM')
  for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100)
  killGroup(pid, 'SIGKILL')
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

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

function childEnv() {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }
}

// ---------------------------------------------------------------------------------------------
// Photos

/** Returns the photo paths, generating them unless a matching set is cached. */
async function preparePhotos() {
  const sources = readdirSync(fixturesDir)
    .filter((name) => /\.(jpe?g|png)$/i.test(name))
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(fixturesDir, name))
      return { name, bytes, sha256: sha256(bytes) }
    })
  if (sources.length === 0) throw new Error('fixtures/ has no JPEG or PNG photos to start from')

  const spec = {
    photoFormatVersion,
    count,
    minSide,
    maxSide,
    seed,
    jpegQuality,
    sources: sources.map(({ name, sha256 }) => ({ name, sha256 })),
  }
  const key = sha256(Buffer.from(JSON.stringify(spec))).slice(0, 12)
  const dir = path.join(workDir, `photos-${count}-${key}`)
  const manifestFile = path.join(dir, 'manifest.json')
  if (!options.regenerate && existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
    const files = manifest.files.map((name) => path.join(dir, name))
    if (files.length === count && files.every((file) => existsSync(file))) {
      console.log(`Reusing ${count} photos in ${path.relative(root, dir)}`)
      return files
    }
  }

  // Old sets take gigabytes: keep only the one in use.
  for (const entry of readdirSync(workDir)) {
    if (entry.startsWith('photos-')) rmSync(path.join(workDir, entry), { recursive: true })
  }
  mkdirSync(dir, { recursive: true })
  const files = await generatePhotos(sources, dir)
  writeFileSync(
    manifestFile,
    `${JSON.stringify({ ...spec, files: files.map((f) => path.basename(f)) }, null, 2)}\n`,
  )
  return files
}

async function generatePhotos(sources, dir) {
  console.log(`Generating ${count} photos in ${path.relative(root, dir)}`)
  const started = performance.now()
  const browser = await chromium.launch(launchOptions)
  cleanups.push(() => browser.close().catch(() => {}))
  try {
    const page = await browser.newPage()
    const origin = 'http://bench.localhost'
    await page.route(`${origin}/**`, (route) => {
      const { pathname } = new URL(route.request().url())
      const source = sources.find(({ name }) => pathname === `/fixtures/${name}`)
      if (source) return route.fulfill({ status: 200, body: source.bytes })
      if (pathname === '/') {
        return route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<!doctype html><title>generator</title>',
        })
      }
      return route.fulfill({ status: 404 })
    })
    await page.goto(`${origin}/`)

    const decoded = await page.evaluate(
      loadSources,
      sources.map(({ name }) => name),
    )
    const usable = decoded.filter((s) => !s.error && Math.min(s.width, s.height) >= 64)
    for (const s of decoded) {
      if (s.error) console.log(`  skipping fixtures/${s.name}: ${s.error}`)
    }
    if (usable.length === 0) throw new Error('no fixture photo decodes in Chromium')
    console.log(`  from ${usable.length} fixtures: ${usable.map((s) => s.name).join(', ')}`)

    const hashes = new Set()
    const files = []
    for (const [index, plan] of planPhotos(usable).entries()) {
      const base64 = await page.evaluate(renderPhoto, plan)
      const bytes = Buffer.from(base64, 'base64')
      const hash = sha256(bytes)
      if (hashes.has(hash)) throw new Error(`photo ${index + 1} duplicates an earlier one`)
      hashes.add(hash)
      const file = path.join(
        dir,
        `${String(index + 1).padStart(4, '0')}-${plan.width}x${plan.height}.jpg`,
      )
      writeFileSync(file, bytes)
      files.push(file)
      if ((index + 1) % 50 === 0 || index + 1 === count) {
        console.log(`  ${index + 1}/${count} (${seconds(performance.now() - started)})`)
      }
    }
    return files
  } finally {
    await browser.close().catch(() => {})
  }
}

/** Deterministic sizes, crops and sources: long sides evenly spread, in shuffled order. */
function planPhotos(sources) {
  const random = mulberry32(seed)
  const longSides = Array.from({ length: count }, (_, i) =>
    Math.round(count === 1 ? maxSide : minSide + ((maxSide - minSide) * i) / (count - 1)),
  )
  for (let i = longSides.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[longSides[i], longSides[j]] = [longSides[j], longSides[i]]
  }
  const aspects = [3 / 2, 4 / 3, 16 / 9, 1, 5 / 4]
  return longSides.map((long, index) => {
    const source = sources[index % sources.length]
    let aspect = aspects[Math.floor(random() * aspects.length)]
    if (random() < 0.3) aspect = 1 / aspect // portrait
    const width = aspect >= 1 ? long : Math.round(long * aspect)
    const height = aspect >= 1 ? Math.round(long / aspect) : long
    // The largest crop of this aspect, shrunk to 55–100 %, somewhere in the source.
    let cropWidth = source.width
    let cropHeight = source.width / aspect
    if (cropHeight > source.height) {
      cropHeight = source.height
      cropWidth = source.height * aspect
    }
    const shrink = 0.55 + 0.45 * random()
    cropWidth *= shrink
    cropHeight *= shrink
    return {
      name: source.name,
      width,
      height,
      crop: {
        x: random() * (source.width - cropWidth),
        y: random() * (source.height - cropHeight),
        width: cropWidth,
        height: cropHeight,
      },
      grainSeed: Math.floor(random() * 2 ** 31),
      label: `#${index + 1}`,
      quality: jpegQuality,
    }
  })
}

/** In the page: decodes every source once and keeps the bitmaps. */
async function loadSources(names) {
  const bitmaps = new Map()
  globalThis.benchSources = bitmaps
  const results = []
  for (const name of names) {
    try {
      const blob = await (await fetch(`/fixtures/${encodeURIComponent(name)}`)).blob()
      const bitmap = await createImageBitmap(blob)
      bitmaps.set(name, bitmap)
      results.push({ name, width: bitmap.width, height: bitmap.height })
    } catch (error) {
      results.push({ name, error: String(error) })
    }
  }
  return results
}

/** In the page: one photo as base64 JPEG (crop, scale, film grain, a small unique label). */
async function renderPhoto({ name, width, height, crop, grainSeed, label, quality }) {
  const source = globalThis.benchSources.get(name)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d')
  ctx.imageSmoothingEnabled = true
  ctx.imageSmoothingQuality = 'high'
  ctx.drawImage(source, crop.x, crop.y, crop.width, crop.height, 0, 0, width, height)

  // Grain, so upscaled fixtures compress like camera photos rather than smooth gradients.
  let state = grainSeed >>> 0
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const tile = document.createElement('canvas')
  tile.width = tile.height = 256
  const tileCtx = tile.getContext('2d')
  const noise = tileCtx.createImageData(256, 256)
  for (let i = 0; i < noise.data.length; i += 4) {
    const v = Math.floor(random() * 256)
    noise.data[i] = noise.data[i + 1] = noise.data[i + 2] = v
    noise.data[i + 3] = 255
  }
  tileCtx.putImageData(noise, 0, 0)
  ctx.save()
  ctx.globalAlpha = 0.12
  ctx.globalCompositeOperation = 'overlay'
  ctx.translate(-Math.floor(random() * 256), -Math.floor(random() * 256))
  ctx.fillStyle = ctx.createPattern(tile, 'repeat')
  ctx.fillRect(0, 0, width + 256, height + 256)
  ctx.restore()

  ctx.font = `${Math.max(12, Math.round(Math.min(width, height) / 40))}px sans-serif`
  ctx.fillStyle = 'rgba(255, 255, 255, 0.8)'
  ctx.textBaseline = 'bottom'
  ctx.fillText(label, 8, height - 8)

  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('toBlob gave nothing'))),
      'image/jpeg',
      quality,
    ),
  )
  canvas.width = canvas.height = 0
  const dataUrl = await new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result)
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(blob)
  })
  return dataUrl.slice(dataUrl.indexOf(',') + 1)
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

/** Launches Chromium with a new user-data-dir, runs `fn`, then closes it and deletes the dir. */
async function withFreshBrowser(fn) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'))
  profiles.add(profile)
  let launching
  const close = async () => {
    // Interrupted while launching: wait for the browser, so it can be closed before its
    // user-data-dir is removed (it would recreate files in it).
    const context = await launching?.catch(() => undefined)
    await context?.close().catch(() => {})
    removeProfile(profile)
  }
  cleanups.push(close)
  try {
    launching = chromium.launchPersistentContext(profile, {
      ...launchOptions,
      viewport,
      acceptDownloads: true,
    })
    const context = await launching
    const page = context.pages()[0] ?? (await context.newPage())
    const pageErrors = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    const browserPid = findBrowserPid(profile)
    const result = await fn(context, page, browserPid)
    for (const message of new Set(pageErrors)) console.warn(`  uncaught in the page: ${message}`)
    return result
  } finally {
    await close()
    const index = cleanups.indexOf(close)
    if (index >= 0) cleanups.splice(index, 1)
  }
}

function removeProfile(profile) {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
    profiles.delete(profile)
  } catch (error) {
    console.error(`bench: could not remove ${profile}: ${error}`)
  }
}

/** Waits for `promise`, failing early if the page crashes. */
async function settle(page, promise, what) {
  let onCrash
  const crashed = new Promise((_, reject) => {
    onCrash = () => reject(new Error(`the page crashed while waiting for ${what}`))
    page.on('crash', onCrash)
  })
  try {
    await Promise.race([promise, crashed])
  } finally {
    page.off('crash', onCrash)
  }
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

/** The Chromium started for `profile`: the process with that user-data-dir whose parent has not. */
function findBrowserPid(profile) {
  const flag = `--user-data-dir=${profile}`
  const processes = readProcesses()
  const matching = [...processes.values()].filter(({ pid }) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(flag)
    } catch {
      return false
    }
  })
  const pids = new Set(matching.map(({ pid }) => pid))
  const root = matching.find(({ ppid }) => !pids.has(ppid))
  if (!root) throw new Error(`cannot find the Chromium process for ${profile} in /proc`)
  return root.pid
}

/** `pid` and all its descendants. */
function processTree(pid) {
  const processes = readProcesses()
  const children = new Map()
  for (const p of processes.values()) {
    if (!children.has(p.ppid)) children.set(p.ppid, [])
    children.get(p.ppid).push(p.pid)
  }
  const tree = []
  const stack = [pid]
  while (stack.length) {
    const next = stack.pop()
    const p = processes.get(next)
    if (p) tree.push(p)
    stack.push(...(children.get(next) ?? []))
  }
  return tree
}

/** Proportional set size in bytes (0 once the process is gone). */
function readPss(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

/** pid → { pid, ppid, rssPages } for every process in /proc. */
function readProcesses() {
  const processes = new Map()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // Fields after the parenthesised command name: state ppid … (rss is the 24th field overall).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const pid = Number(entry)
    processes.set(pid, { pid, ppid: Number(fields[1]), rssPages: Number(fields[21]) })
  }
  return processes
}

// ---------------------------------------------------------------------------------------------
// Helpers

async function cleanUp() {
  while (cleanups.length) {
    try {
      await cleanups.pop()()
    } catch (error) {
      console.error(`bench: cleanup failed: ${error}`)
    }
  }
}

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

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function mulberry32(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex')
}

function chromiumVersion() {
  const result = spawnSync(launchOptions.executablePath, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
  })
  return result.stdout?.trim() || 'unknown'
}

function gitCommit() {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

function formatBytes(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function positiveInt(name) {
  const value = Number(options[name])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`)
  return value
}
