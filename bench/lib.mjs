// Helpers shared by the benchmarks in bench/ (plain ESM; needs only node and playwright-core).
//
// - runBench(main): exit and signal handlers, error report, clean-up (last-in first-out).
// - startServer: `next start` (after `npm run build` when needed) in its own process group.
// - withFreshBrowser: Chromium with a new user-data-dir, removed afterwards.
// - newProfile + withBrowser: a user-data-dir kept across browser restarts.
// - importPhotos: fills the library through the app's import input.
// - preparePhotos: distinct JPEG photos cropped and scaled from fixtures/ in Chromium, cached.
// - /proc readers for the memory of a browser's process tree, and small formatting helpers.

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
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixturesDir = path.join(root, 'fixtures')
const nextBin = path.join(root, 'node_modules/next/dist/bin/next')

/** Debian's Chromium with the flags this closed network needs; shared with playwright.config.ts. */
export const launchOptions = {
  ...JSON.parse(readFileSync(path.join(root, 'e2e/chromium.json'), 'utf8')),
  headless: true,
}
export const viewport = { width: 1280, height: 800 }
export const pageSize =
  Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout) || 4096
/** Bump when the generator changes, to regenerate cached photos. */
const photoFormatVersion = 1

// ---------------------------------------------------------------------------------------------
// Clean-up

/** @type {Array<() => unknown>} Undo steps, run last-in first-out on exit, error or signal. */
const cleanups = []
/** Process groups to SIGKILL, and user-data-dirs to remove, if we exit without the cleanups. */
const groups = new Set()
const profiles = new Set()
let interrupted = false

/** @param {() => unknown} fn an undo step for cleanUp() */
export function addCleanup(fn) {
  cleanups.push(fn)
}

/** @param {() => unknown} fn an undo step that is no longer needed */
export function removeCleanup(fn) {
  const index = cleanups.indexOf(fn)
  if (index >= 0) cleanups.splice(index, 1)
}

/** Runs the undo steps, last-in first-out. */
export async function cleanUp() {
  while (cleanups.length) {
    try {
      await cleanups.pop()()
    } catch (error) {
      console.error(`bench: cleanup failed: ${error}`)
    }
  }
}

/**
 * Runs a benchmark's `main`: on exit kills the process groups and removes the profiles left, on
 * SIGINT / SIGTERM / SIGHUP cleans up and exits with 130, and on error prints it and sets exit
 * code 1. Cleans up in any case.
 * @param {() => Promise<void>} main
 */
export async function runBench(main) {
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
}

// ---------------------------------------------------------------------------------------------
// Server

/**
 * Starts `next start` on a free port in its own process group (stopped by cleanUp), running
 * `npm run build` first if .next/ holds no build or `build` is set. Resolves with its base URL once
 * /library answers.
 * @param {{ build?: boolean, logFile: string }} options
 * @returns {Promise<string>}
 */
export async function startServer({ build = false, logFile }) {
  if (build || !existsSync(path.join(root, '.next/BUILD_ID'))) {
    console.log(build ? 'Building (--build)' : 'No build in .next/: running npm run build')
    // `npm run build`: the app and its service worker, which precaches that build's files.
    const code = await runGroup('npm', ['run', 'build'], 'inherit')
    if (code !== 0) throw new Error(`npm run build exited with ${code}`)
  }

  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
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
  addCleanup(async () => {
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

/**
 * Runs a command in its own process group; resolves with its exit code.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').StdioOptions} stdio
 * @returns {Promise<number | string>}
 */
export function runGroup(command, args, stdio) {
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

/** SIGTERM to a process group, SIGKILL after 5 s. @param {number} pid */
export async function stopGroup(pid) {
  killGroup(pid, 'SIGTERM')
  for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100)
  killGroup(pid, 'SIGKILL')
}

/** @param {number} pid @param {NodeJS.Signals} signal */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** @param {number} pid */
export function groupAlive(pid) {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

/** @returns {Promise<number>} a TCP port free on 127.0.0.1 right now */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      server.close(() => resolve(port))
    })
  })
}

export function childEnv() {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }
}

// ---------------------------------------------------------------------------------------------
// Browser

/**
 * Launches Chromium with a new user-data-dir, runs `fn`, then closes it and deletes the dir.
 * Uncaught page errors are printed afterwards.
 * @template T
 * @param {(context: import('playwright-core').BrowserContext,
 *   page: import('playwright-core').Page, browserPid: number) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withFreshBrowser(fn) {
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
  addCleanup(close)
  try {
    launching = chromium.launchPersistentContext(profile, {
      ...launchOptions,
      viewport,
      acceptDownloads: true,
      // The service worker's first-visit precache (90 MB) would compete with what is measured, and
      // it answers navigations that page.route is meant to (bench:cold-start measures it).
      serviceWorkers: 'block',
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
    removeCleanup(close)
  }
}

/** @param {string} profile a user-data-dir to delete */
export function removeProfile(profile) {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
    profiles.delete(profile)
  } catch (error) {
    console.error(`bench: could not remove ${profile}: ${error}`)
  }
}

/**
 * Waits for `promise`, failing early if the page crashes.
 * @template T
 * @param {import('playwright-core').Page} page
 * @param {Promise<T>} promise
 * @param {string} what
 * @returns {Promise<T>}
 */
export async function settle(page, promise, what) {
  let onCrash
  const crashed = new Promise((_, reject) => {
    onCrash = () => reject(new Error(`the page crashed while waiting for ${what}`))
    page.on('crash', onCrash)
  })
  try {
    return await Promise.race([promise, crashed])
  } finally {
    page.off('crash', onCrash)
  }
}

/**
 * A new, empty user-data-dir that outlives browser restarts; removed by cleanUp (or on exit).
 * @returns {string}
 */
export function newProfile() {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'))
  profiles.add(profile)
  addCleanup(() => removeProfile(profile))
  return profile
}

/**
 * Launches Chromium on an existing user-data-dir (kept afterwards), runs `fn` with its first
 * page, then closes the browser. Uncaught page errors are printed afterwards.
 * @template T
 * @param {string} profile
 * @param {(context: import('playwright-core').BrowserContext,
 *   page: import('playwright-core').Page) => Promise<T>} fn
 * @param {import('playwright-core').BrowserContextOptions} [contextOptions]
 * @returns {Promise<T>}
 */
export async function withBrowser(profile, fn, contextOptions = {}) {
  let launching
  const close = async () => {
    const context = await launching?.catch(() => undefined)
    await context?.close().catch(() => {})
  }
  addCleanup(close)
  try {
    launching = chromium.launchPersistentContext(profile, {
      ...launchOptions,
      viewport,
      ...contextOptions,
    })
    const context = await launching
    const page = context.pages()[0] ?? (await context.newPage())
    const pageErrors = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    const result = await fn(context, page)
    for (const message of new Set(pageErrors)) console.warn(`  uncaught in the page: ${message}`)
    return result
  } finally {
    await close()
    removeCleanup(close)
  }
}

/**
 * Imports photos through the app's import input (the real import path), `batch` files at a time,
 * waiting for each batch's summary ([data-testid="import-summary"][data-added]). The page must
 * show /library. Resolves with the time taken and each batch's.
 * @param {import('playwright-core').Page} page
 * @param {string[]} photos
 * @param {{ batch: number, timeoutMs: number, done?: number, total?: number }} options
 *   done/total: for the progress lines when this call continues an earlier fill
 */
export async function importPhotos(page, photos, { batch, timeoutMs, done = 0, total }) {
  const input = page.locator('input[data-testid="import-input"]')
  await input.waitFor({ state: 'attached', timeout: 30_000 })
  const summary = page.locator('[data-testid="import-summary"]')
  const batches = []
  const started = performance.now()
  for (let first = 0; first < photos.length; first += batch) {
    const files = photos.slice(first, first + batch)
    const batchStarted = performance.now()
    await input.setInputFiles(files, { timeout: 120_000 })
    // A problem-free summary closes itself after 8 s: catch it promptly.
    const shown = summary.waitFor({ state: 'attached', timeout: timeoutMs }).catch((error) => {
      if (error?.name !== 'TimeoutError') throw error
      throw new Error(`no import summary within ${timeoutMs / 1000} s`)
    })
    await settle(page, shown, 'the import summary')
    const ms = performance.now() - batchStarted
    const added = await summary.getAttribute('data-added')
    const text = (await summary.innerText()).replace(/\s+/g, ' ').trim()
    if (added !== String(files.length)) {
      throw new Error(`a batch added ${added} of ${files.length} images: "${text}"`)
    }
    batches.push({ files: files.length, ms })
    const progress = `${done + first + files.length}/${total ?? done + photos.length}`
    console.log(`  imported ${progress} (${seconds(ms)}: "${text}")`)
    await page
      .getByRole('button', { name: 'Close import report' })
      .click({ timeout: 5_000 })
      .catch(() => {}) // it may have closed itself
    await summary.waitFor({ state: 'detached', timeout: 30_000 })
  }
  return { ms: performance.now() - started, batches }
}

export function chromiumVersion() {
  const result = spawnSync(launchOptions.executablePath, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
  })
  return result.stdout?.trim() || 'unknown'
}

export function gitCommit() {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

// ---------------------------------------------------------------------------------------------
// Photos

/**
 * @typedef {object} PhotoOptions
 * @property {string} workDir where the set is cached, as photos-<count>-<key>/ (other sets there
 *   are deleted)
 * @property {number} count
 * @property {number} minSide smallest long side, px
 * @property {number} maxSide largest long side, px
 * @property {number} seed
 * @property {number} jpegQuality
 * @property {boolean} [regenerate] even if a matching set is cached
 * @property {number} [logEvery] progress line every so many photos (default 50)
 */

/**
 * Returns the photo paths, generating them unless a matching set is cached: --count JPEGs with
 * long sides evenly spread from minSide to maxSide, cropped and scaled from the decodable photos
 * in fixtures/ in headless Chromium (canvas, toBlob('image/jpeg')), each with film grain and a
 * small unique label, so no two are the same.
 * @param {PhotoOptions} options
 * @returns {Promise<string[]>}
 */
export async function preparePhotos(options) {
  const { workDir, count, minSide, maxSide, seed, jpegQuality } = options
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
  const files = await generatePhotos(sources, dir, options)
  writeFileSync(
    manifestFile,
    `${JSON.stringify({ ...spec, files: files.map((f) => path.basename(f)) }, null, 2)}\n`,
  )
  return files
}

async function generatePhotos(sources, dir, options) {
  const { count, logEvery = 50 } = options
  console.log(`Generating ${count} photos in ${path.relative(root, dir)}`)
  const started = performance.now()
  const browser = await chromium.launch(launchOptions)
  addCleanup(() => browser.close().catch(() => {}))
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
    for (const [index, plan] of planPhotos(usable, options).entries()) {
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
      if ((index + 1) % logEvery === 0 || index + 1 === count) {
        console.log(`  ${index + 1}/${count} (${seconds(performance.now() - started)})`)
      }
    }
    return files
  } finally {
    await browser.close().catch(() => {})
  }
}

/** Deterministic sizes, crops and sources: long sides evenly spread, in shuffled order. */
function planPhotos(sources, { count, minSide, maxSide, seed, jpegQuality }) {
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
// Processes and memory (/proc)

/**
 * The Chromium started for `profile`: the process with that user-data-dir whose parent has not.
 * @param {string} profile
 * @returns {number}
 */
export function findBrowserPid(profile) {
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

/**
 * `pid` and all its descendants.
 * @param {number} pid
 * @returns {Array<{ pid: number, ppid: number, rssPages: number }>}
 */
export function processTree(pid) {
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

/**
 * Proportional set size in bytes (0 once the process is gone).
 * @param {number} pid
 */
export function readPss(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

/**
 * pid → { pid, ppid, rssPages } for every process in /proc.
 * @returns {Map<number, { pid: number, ppid: number, rssPages: number }>}
 */
export function readProcesses() {
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
// Small helpers

/** @param {number[]} values @returns {number} */
export function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** @param {number} state a seed @returns {() => number} a PRNG in [0, 1) */
export function mulberry32(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** @param {import('node:crypto').BinaryLike} bytes @returns {string} hex */
export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex')
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`
}

/** @param {number} ms */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * A parsed option that must be a positive integer.
 * @param {Record<string, unknown>} options parseArgs values
 * @param {string} name
 */
export function positiveInt(options, name) {
  const value = Number(options[name])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`)
  return value
}
