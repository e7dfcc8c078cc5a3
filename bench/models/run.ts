// Model latency benchmark (`npm run bench:models`; a script, not a test).
//
// For each task, one real photo from fixtures/ (see `photos`), timed in five places on this
// machine, in one run of this script:
//
// 1. Native reference, in this process: onnxruntime-node with default session options (intra-op
//    threads = one per physical core) through models/_testing/node-context.ts, the photo decoded
//    by sharp. 1 warm-up + --runs calls of `task.analyze`, once before the browser runs and once
//    after them; the median is over both passes (their separate medians show drift from load).
//    Then the control "WASM in Node": the same calls, once, on onnxruntime-web's Node build,
//    which runs the same ort-wasm-simd-threaded.wasm as the browser, with the app's session
//    options and the app's WASM-threads count for this machine's cores (planInference in
//    workers/inference-client.ts; --node-threads overrides it). No browser, worker or app: what
//    ONNX Runtime's WASM kernels cost by themselves, the floor for the browser's WASM columns.
// 2. The app in headless Chromium, for each provider setting (`wasm`: WASM on 1 thread;
//    `wasm-threads`: WASM with the app's thread count; `webgpu`: Chromium with
//    --enable-unsafe-webgpu, which here is a SwiftShader software adapter): a fresh browser and
//    profile; the settings {autoTasks: [task], provider} put in localStorage before the app loads;
//    the photo set on the import input. The time from setInputFiles until the task's row appears
//    in IndexedDB is the cold first result (import, model download from the local server, sha256
//    check, session creation, opencv.js for OCR, first run). Then --runs × "Run again" in the
//    viewer's Analysis tab, one after another, each read back from IndexedDB (`durationMs`:
//    pre-processing + inference + post-processing, measured in the worker and stored in whole ms;
//    `decodeMs`: decoding the image, which the native side does not time). Medians of those.
//    WebGPU gets --webgpu-runs runs, and a task whose first run takes longer than
//    --webgpu-budget seconds is skipped; tasks without a model are not run there.
//
// Prints the medians with the browser/native ratio (goal: WASM with threads within 1.5× of
// native) and writes every figure as JSON to bench/models/.work/results/. Needs a production
// build (built when .next/ holds none, or with --build) and public/models (`npm run models`).
// Options: npx tsx bench/models/run.ts --help

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Page } from 'playwright-core'
import { registry, taskIds, type TaskId } from '../../models'
import { planInference } from '../../workers/inference-client'
import { fixture, loadImage } from '../../models/_testing/load-image'
import { createNodeContext, modelPath } from '../../models/_testing/node-context'
import type { RgbaImage, Task, TaskContext } from '../../models/types'
import { lib } from './bench-lib'

const { root, medianOf, seconds } = lib
const workDir = path.join(root, 'bench/models/.work')
const goalRatio = 1.5
const pollMs = 50
const noAdapter = 'no WebGPU adapter in this Chromium'

/** The photo each task is timed on. */
const photos: Record<TaskId, string> = {
  'face-detection': 'astronaut.jpg',
  'image-properties': 'fruits.jpg',
  'object-detection': 'dog.jpg',
  'person-segmentation': 'astronaut.jpg',
  'text-recognition': 'page.png',
}

const browserProviders = ['wasm', 'wasm-threads', 'webgpu'] as const
type BrowserProvider = (typeof browserProviders)[number]
const providerLabels: Record<BrowserProvider, string> = {
  wasm: 'WASM 1 thread',
  'wasm-threads': 'WASM threads',
  webgpu: 'WebGPU',
}

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    tasks: { type: 'string', default: taskIds.join(',') },
    providers: { type: 'string', default: browserProviders.join(',') },
    'webgpu-runs': { type: 'string', default: '3' },
    'webgpu-budget': { type: 'string', default: '20' },
    'node-threads': { type: 'string' },
    timeout: { type: 'string', default: '600' },
    'base-url': { type: 'string' },
    build: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

if (options.help) {
  console.log(`Usage: npm run bench:models -- [options]

  --runs N            timed runs per task and provider, after the warm-up / cold run (default 20)
  --tasks LIST        comma-separated task ids (default: all: ${taskIds.join(',')})
  --providers LIST    browser settings: ${browserProviders.join(',')} (default: all);
                      "none" times only onnxruntime-node and WASM in Node
  --webgpu-runs N     runs on WebGPU, a software adapter here (default 3)
  --webgpu-budget S   skip a task on WebGPU when its first run takes longer (default 20)
  --node-threads N    threads for WASM in Node (default: the app's WASM-threads count for
                      this machine, ${appWasmThreads()} here)
  --timeout S         longest wait for one result, cold start included (default 600)
  --base-url URL      use a server that is already running instead of starting next start
  --build             run next build even if .next/ holds a build

Photos: ${Object.entries(photos)
    .map(([task, photo]) => `${task} ${photo}`)
    .join(', ')} (fixtures/).`)
  process.exit(0)
}

const { runs, webgpuRuns, webgpuBudgetMs, timeoutMs, tasks, providers, nodeThreads } = readOptions()

/** The parsed options; a bad one ends the process with its message and exit code 2. */
function readOptions() {
  try {
    const runs = lib.positiveInt(options, 'runs')
    return {
      runs,
      webgpuRuns: Math.min(runs, lib.positiveInt(options, 'webgpu-runs')),
      webgpuBudgetMs: lib.positiveInt(options, 'webgpu-budget') * 1000,
      timeoutMs: lib.positiveInt(options, 'timeout') * 1000,
      nodeThreads: options['node-threads']
        ? lib.positiveInt(options, 'node-threads')
        : appWasmThreads(),
      tasks: parseList(options.tasks, taskIds, '--tasks') as TaskId[],
      providers:
        options.providers === 'none'
          ? []
          : (parseList(options.providers, browserProviders, '--providers') as BrowserProvider[]),
    }
  } catch (error) {
    console.error(`${message(error)} (see --help)`)
    process.exit(2)
  }
}

interface NativePass {
  runs: number[]
  median: number
}

/** WASM in Node: onnxruntime-web's Node build, the control for the browser's WASM columns. */
interface WasmNodeFigures {
  threads: number
  /** Session creation (and opencv.js for OCR) plus the first call, ms. */
  coldMs?: number
  sessionMs?: number
  runs: number[]
  median?: number
  error?: string
}

interface NativeFigures {
  /** Session creation (and opencv.js for OCR) plus the first call, ms. */
  coldMs: number
  sessionMs: number
  before?: NativePass
  after?: NativePass
  median?: number
  error?: string
}

/** What the bench reads back from a stored result. */
interface StoredRun {
  durationMs: number
  decodeMs: number
  provider: string
  threads: number
  createdAt: number
}

interface BrowserFigures {
  coldMs?: number
  first?: StoredRun
  runs: StoredRun[]
  median?: number
  decodeMedian?: number
  provider?: string
  threads?: number
  skipped?: string
  error?: string
}

interface PageFacts {
  crossOriginIsolated: boolean
  hardwareConcurrency: number
  webgpuAdapter?: { fallback: boolean; vendor: string; architecture: string; description: string }
}

interface TaskFigures {
  task: TaskId
  photo: string
  native: NativeFigures
  wasmNode: WasmNodeFigures
  browser: Partial<Record<BrowserProvider, BrowserFigures>>
}

await lib.runBench(main)

async function main() {
  mkdirSync(workDir, { recursive: true })
  const loadBefore = os.loadavg()
  console.log(
    `${os.cpus().length} cores (${physicalCores()} physical), ${os.cpus()[0]?.model ?? 'unknown CPU'}; ` +
      `load average ${formatLoad(loadBefore)}`,
  )
  checkModelFiles(tasks)

  const figures: TaskFigures[] = tasks.map((task) => ({
    task,
    photo: photos[task],
    native: { coldMs: 0, sessionMs: 0 },
    wasmNode: { threads: nodeThreads, runs: [] },
    browser: {},
  }))

  console.log(`\nNative reference (onnxruntime-node), 1 warm-up + ${runs} runs per task`)
  const native = await prepareNative(figures)
  await nativePass(native, figures, 'before')
  console.log(
    `\nWASM in Node (onnxruntime-web's Node build, ${nodeThreads} threads), ` +
      `1 warm-up + ${runs} runs per task`,
  )
  await wasmNodePass(figures)

  let browserFacts: Partial<Record<BrowserProvider, PageFacts>> = {}
  let baseURL: string | undefined
  if (providers.length > 0) {
    if (!existsSync(lib.launchOptions.executablePath)) {
      throw new Error(
        `${lib.launchOptions.executablePath} is missing: apt-get update && apt-get install -y chromium`,
      )
    }
    warnIfStaleBuild()
    baseURL =
      options['base-url']?.replace(/\/$/, '') ??
      (await lib.startServer({ build: options.build, logFile: path.join(workDir, 'server.log') }))
    browserFacts = await browserPasses(baseURL, figures)

    console.log(`\nNative reference again, after the browser runs`)
    await nativePass(native, figures, 'after')
  }
  for (const { native: n } of figures) {
    if (n.before) n.median = medianOf([...n.before.runs, ...(n.after?.runs ?? [])])
  }
  const loadAfter = os.loadavg()

  console.log(`\n${summaryTable(figures)}`)
  console.log(`\n${coldTable(figures)}`)
  const webgpu = browserFacts.webgpu?.webgpuAdapter
  const page = browserFacts['wasm-threads'] ?? browserFacts.wasm
  const notes = [
    '',
    `Medians over ${runs} runs${providers.includes('webgpu') ? ` (WebGPU: ${webgpuRuns})` : ''}; ` +
      `ratio = time / native; ! marks WASM threads above the ${goalRatio}× goal.`,
    'Native: onnxruntime-node, default session options: intra-op threads = physical cores ' +
      `(${physicalCores()} here); photos decoded by sharp${providers.length ? '; median of the passes before and after' : ''}.`,
    `WASM in Node: same .wasm as the browser, no browser or app: the floor for the WASM columns ` +
      `(onnxruntime-web's Node build, ${nodeThreads} threads, the app's session options` +
      `${providers.length ? '; one pass, before the browser runs' : ''}).`,
  ]
  if (providers.length > 0) {
    notes.push(
      "Browser: the worker's durationMs (pre-processing + inference + post-processing, stored in " +
        "whole ms); decoding (the worker's canvas) is its own column, from WASM threads (else the " +
        'first provider). Cold first result: from setInputFiles to the stored result, import included.',
    )
    if (page) {
      notes.push(
        `Page: cross-origin isolated ${page.crossOriginIsolated ? 'yes' : 'NO'}, ` +
          `hardwareConcurrency ${page.hardwareConcurrency}; WASM threads: ${describeThreads(figures)}.`,
      )
    }
    const browserThreads = figures.map((f) => f.browser['wasm-threads']?.threads)
    if (browserThreads.some((t) => t !== undefined && t !== nodeThreads)) {
      notes.push(
        `Warning: WASM in Node ran on ${nodeThreads} threads, the browser's WASM threads on ` +
          `others; rerun with --node-threads to compare like with like.`,
      )
    }
    if (webgpu) {
      const details = [webgpu.vendor, webgpu.architecture, webgpu.description].filter(Boolean)
      notes.push(
        `WebGPU adapter: ${webgpu.fallback ? 'software fallback' : 'hardware'} ` +
          `(${details.join(', ') || 'no details'})` +
          (webgpu.fallback ? ': SwiftShader on the CPU, not a GPU figure.' : '.'),
      )
    }
  }
  notes.push(
    `Load average (1, 5, 15 min): ${formatLoad(loadBefore)} at the start, ${formatLoad(loadAfter)} ` +
      `at the end, on ${os.cpus().length} cores; other processes skew every column.`,
  )
  console.log(notes.join('\n'))

  const resultsDir = path.join(workDir, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const file = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  const environment = {
    chromium: providers.length > 0 ? lib.chromiumVersion() : undefined,
    node: process.version,
    onnxruntimeNode: packageVersion('onnxruntime-node'),
    onnxruntimeWeb: packageVersion('onnxruntime-web'),
    cores: os.cpus().length,
    physicalCores: physicalCores(),
    cpu: os.cpus()[0]?.model,
    memory: os.totalmem(),
    commit: lib.gitCommit(),
    // The figures belong to the working tree, which may differ from the commit.
    uncommittedChanges:
      spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout.trim()
        .length > 0,
    loadAverage: { start: loadBefore, end: loadAfter },
    nativeThreads: 'onnxruntime-node default (intra-op = physical cores)',
    wasmInNode: {
      runtime: "onnxruntime-web's Node build (ort-wasm-simd-threaded.wasm)",
      threads: nodeThreads,
      threadsFrom: options['node-threads']
        ? '--node-threads'
        : `planInference(os.availableParallelism() = ${os.availableParallelism()}, 'wasm-threads')`,
    },
    browser: browserFacts,
  }
  const parameters = { runs, webgpuRuns, webgpuBudgetMs, tasks, providers, photos, baseURL }
  writeFileSync(file, `${JSON.stringify({ environment, parameters, figures }, null, 2)}\n`)
  console.log(`Figures written to ${path.relative(root, file)}`)
}

// ---------------------------------------------------------------------------------------------
// Native

interface NativeTask {
  task: Task<object, unknown>
  context: TaskContext
  image: RgbaImage
}

/** Loads each task with onnxruntime-node sessions; a task that fails to load is reported, not fatal. */
async function prepareNative(figures: TaskFigures[]): Promise<Map<TaskId, NativeTask>> {
  const loaded = new Map<TaskId, NativeTask>()
  for (const entry of figures) {
    try {
      const image = await loadImage(fixture(entry.photo))
      const { default: task } = (await registry[entry.task].load()) as {
        default: Task<object, unknown>
      }
      const started = performance.now()
      const context = await createNodeContext(task.manifest)
      entry.native.sessionMs = performance.now() - started
      await task.analyze(image, task.manifest.defaultOptions, context)
      entry.native.coldMs = performance.now() - started
      loaded.set(entry.task, { task, context, image })
    } catch (error) {
      entry.native.error = message(error)
      console.log(`  ${entry.task}: failed to load: ${entry.native.error}`)
    }
  }
  return loaded
}

/** 1 warm-up + `runs` timed calls per task. */
async function nativePass(
  loaded: Map<TaskId, NativeTask>,
  figures: TaskFigures[],
  pass: 'before' | 'after',
) {
  for (const entry of figures) {
    const native = loaded.get(entry.task)
    if (!native) continue
    const { task, context, image } = native
    const { defaultOptions } = task.manifest
    try {
      await task.analyze(image, defaultOptions, context)
      const times: number[] = []
      for (let run = 0; run < runs; run++) {
        const started = performance.now()
        await task.analyze(image, defaultOptions, context)
        times.push(performance.now() - started)
      }
      entry.native[pass] = { runs: times, median: medianOf(times) }
      console.log(
        `  ${entry.task.padEnd(20)} ${entry.photo.padEnd(14)} median ${ms(medianOf(times))}` +
          ` (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))})`,
      )
    } catch (error) {
      entry.native.error = message(error)
      console.log(`  ${entry.task}: failed: ${entry.native.error}`)
    }
  }
}

/**
 * The control: each task on onnxruntime-web's WASM in this process, 1 warm-up + `runs` calls.
 * Its sessions stay loaded until the process ends (a TaskContext has no release).
 */
async function wasmNodePass(figures: TaskFigures[]) {
  for (const entry of figures) {
    const figure = entry.wasmNode
    if (entry.native.error && !entry.native.before) {
      figure.error = 'failed to load natively'
      continue
    }
    try {
      const image = await loadImage(fixture(entry.photo))
      const { default: task } = (await registry[entry.task].load()) as {
        default: Task<object, unknown>
      }
      const { defaultOptions } = task.manifest
      const started = performance.now()
      const context = await createNodeContext(task.manifest, {
        backend: 'wasm',
        threads: figure.threads,
      })
      figure.sessionMs = performance.now() - started
      await task.analyze(image, defaultOptions, context)
      figure.coldMs = performance.now() - started
      for (let run = 0; run < runs; run++) {
        const runStarted = performance.now()
        await task.analyze(image, defaultOptions, context)
        figure.runs.push(performance.now() - runStarted)
      }
      figure.median = medianOf(figure.runs)
      console.log(
        `  ${entry.task.padEnd(20)} ${entry.photo.padEnd(14)} median ${ms(figure.median)}` +
          ` (min ${ms(Math.min(...figure.runs))}, max ${ms(Math.max(...figure.runs))})`,
      )
    } catch (error) {
      figure.error = message(error)
      console.log(`  ${entry.task}: failed: ${figure.error}`)
    }
  }
}

/** WASM threads the app's worker pool uses with the `wasm-threads` setting on this machine's cores. */
function appWasmThreads(): number {
  return planInference(os.availableParallelism(), os.totalmem() / 2 ** 30, 'wasm-threads').threads
}

/** Fails early, with the fix, when `npm run models` has not written a task's files. */
function checkModelFiles(selected: TaskId[]) {
  const problems: string[] = []
  for (const id of selected) {
    for (const file of Object.values(registry[id].manifest.files)) {
      const at = modelPath(file.file)
      if (!existsSync(at)) problems.push(`${file.file} is missing`)
      else if (statSync(at).size !== file.bytes) problems.push(`${file.file} has the wrong size`)
      else if (lib.sha256(readFileSync(at)) !== file.sha256) {
        problems.push(`${file.file} has the wrong sha256`)
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`public/models/: ${problems.join('; ')}. Run \`npm run models\` first.`)
  }
}

// ---------------------------------------------------------------------------------------------
// Browser

/** Each provider, then each task, in a fresh browser. Returns what each page reported about itself. */
async function browserPasses(
  baseURL: string,
  figures: TaskFigures[],
): Promise<Partial<Record<BrowserProvider, PageFacts>>> {
  const facts: Partial<Record<BrowserProvider, PageFacts>> = {}
  for (const provider of providers) {
    const runsHere = provider === 'webgpu' ? webgpuRuns : runs
    console.log(
      `\n${providerLabels[provider]} in Chromium (provider: ${provider}), ${runsHere} runs`,
    )
    for (const entry of figures) {
      if (entry.native.error && !entry.native.before) {
        // A task that does not even load natively is most likely mid-edit; skip it everywhere.
        entry.browser[provider] = { runs: [], skipped: 'failed to load natively' }
        continue
      }
      if (provider === 'webgpu' && Object.keys(registry[entry.task].manifest.files).length === 0) {
        entry.browser[provider] = { runs: [], skipped: 'no model' }
        console.log(`  ${entry.task.padEnd(20)} skipped: no model, the same JavaScript as WASM`)
        continue
      }
      const figure: BrowserFigures = { runs: [] }
      entry.browser[provider] = figure
      try {
        const pageFacts = await browserRun(baseURL, provider, entry, figure, runsHere)
        facts[provider] ??= pageFacts
        if (!figure.skipped) {
          console.log(
            `  ${entry.task.padEnd(20)} ${entry.photo.padEnd(14)} median ${ms(figure.median)}` +
              ` decode ${ms(figure.decodeMedian)}; cold first result ${seconds(figure.coldMs ?? 0)}` +
              ` (${figure.provider}${figure.provider === 'wasm' ? ` × ${figure.threads}` : ''})`,
          )
        }
      } catch (error) {
        figure.error = message(error)
        console.log(`  ${entry.task}: failed: ${figure.error}`)
      }
      if (figure.skipped) console.log(`  ${entry.task.padEnd(20)} skipped: ${figure.skipped}`)
      if (figure.skipped === noAdapter) break
    }
  }
  return facts
}

/** One task on one provider setting: cold first result, then `count` runs through "Run again". */
async function browserRun(
  baseURL: string,
  provider: BrowserProvider,
  entry: TaskFigures,
  figure: BrowserFigures,
  count: number,
): Promise<PageFacts> {
  const extraArgs = provider === 'webgpu' ? ['--enable-unsafe-webgpu'] : []
  return withLaunchArgs(extraArgs, () =>
    lib.withFreshBrowser(async (_context, page) => {
      // tsx compiles this file with esbuild's keepNames, so functions sent to the page call
      // esbuild's `__name` helper, which the page lacks.
      await page.addInitScript({ content: 'globalThis.__name ??= (target) => target' })
      const settings = JSON.stringify({ autoTasks: [entry.task], provider })
      await page.addInitScript((value) => {
        localStorage.setItem('sightline.analysis-settings', value)
      }, settings)
      await page.goto(`${baseURL}/library`, { waitUntil: 'load', timeout: 60_000 })
      const input = page.getByTestId('import-input')
      await input.waitFor({ state: 'attached', timeout: 30_000 })
      const facts = await page.evaluate(readPageFacts)
      if (provider === 'webgpu' && !facts.webgpuAdapter) {
        figure.skipped = noAdapter
        return facts
      }

      const started = performance.now()
      await input.setInputFiles(fixture(entry.photo), { timeout: 60_000 })
      const first = await waitForResult(page, entry.task, 0, 'the first result')
      figure.coldMs = performance.now() - started
      figure.first = first
      figure.provider = first.provider
      figure.threads = first.threads
      if (provider === 'webgpu' && first.durationMs > webgpuBudgetMs) {
        figure.skipped =
          `software adapter too slow (${seconds(first.durationMs)}/run, ` +
          `budget ${seconds(webgpuBudgetMs)}; first result after ${seconds(figure.coldMs)})`
        return facts
      }

      await page.getByRole('gridcell', { name: entry.photo }).dblclick()
      const viewer = page.getByRole('dialog', { name: entry.photo })
      await viewer.getByRole('tab', { name: 'Analysis' }).click()
      const again = viewer.getByTestId(`task-${entry.task}`).getByRole('button', {
        name: 'Run again',
      })
      let last = first
      for (let run = 0; run < count; run++) {
        await again.click({ timeout: 60_000 })
        last = await waitForResult(page, entry.task, last.createdAt, `run ${run + 1}`)
        figure.runs.push(last)
        if (last.provider !== first.provider || last.threads !== first.threads) {
          throw new Error(
            `run ${run + 1} ran on ${last.provider} × ${last.threads}, the first on ` +
              `${first.provider} × ${first.threads}`,
          )
        }
      }
      figure.median = medianOf(figure.runs.map((r) => r.durationMs))
      figure.decodeMedian = medianOf(figure.runs.map((r) => r.decodeMs))
      return facts
    }),
  )
}

/**
 * Runs `fn` with extra Chromium flags. withFreshBrowser takes its flags from lib.launchOptions at
 * each launch, so they are added there and removed again afterwards.
 */
async function withLaunchArgs<T>(extra: string[], fn: () => Promise<T>): Promise<T> {
  const { args } = lib.launchOptions
  lib.launchOptions.args = [...args, ...extra]
  try {
    return await fn()
  } finally {
    lib.launchOptions.args = args
  }
}

/** Waits for the task's stored result newer than `after` (epoch ms), or its failed job. */
async function waitForResult(
  page: Page,
  task: TaskId,
  after: number,
  what: string,
): Promise<StoredRun> {
  const outcome = await lib.settle(
    page,
    page.evaluate(pollResult, { task, after, timeoutMs, pollMs }),
    what,
  )
  if ('error' in outcome) throw new Error(`${what} of ${task}: ${outcome.error}`)
  return outcome
}

/**
 * In the page: polls IndexedDB `sightline` for the task's result with `createdAt > after`.
 * Never creates the database: an open that would upgrade it is aborted and retried later.
 */
async function pollResult({
  task,
  after,
  timeoutMs,
  pollMs,
}: {
  task: string
  after: number
  timeoutMs: number
  pollMs: number
}): Promise<StoredRun | { error: string }> {
  const open = () =>
    new Promise<IDBDatabase | undefined>((resolve) => {
      const request = indexedDB.open('sightline')
      request.onupgradeneeded = () => request.transaction?.abort()
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => resolve(undefined)
    })
  const byTask = <T>(db: IDBDatabase, store: string, key: IDBValidKey | undefined) =>
    new Promise<T[]>((resolve, reject) => {
      const objectStore = db.transaction(store).objectStore(store)
      const request =
        key === undefined ? objectStore.getAll() : objectStore.index('task').getAll(key)
      request.onsuccess = () => resolve(request.result as T[])
      request.onerror = () => reject(request.error)
    })
  const deadline = Date.now() + timeoutMs
  let db: IDBDatabase | undefined
  try {
    for (;;) {
      db ??= await open()
      if (db && !db.objectStoreNames.contains('results')) {
        db.close()
        db = undefined
      }
      if (db) {
        db.onversionchange = () => {
          db?.close()
          db = undefined
        }
        const results = await byTask<StoredRun & { task: string }>(db, 'results', task)
        const row = results.find((r) => r.createdAt > after)
        if (row) {
          const { durationMs, decodeMs, provider, threads, createdAt } = row
          return { durationMs, decodeMs, provider, threads, createdAt }
        }
        const jobs = await byTask<{
          task: string
          status: string
          finishedAt?: number
          error?: { name: string; message: string }
        }>(db, 'jobs', undefined)
        const failed = jobs.find(
          (j) => j.task === task && j.status === 'failed' && (j.finishedAt ?? Infinity) > after,
        )
        if (failed) return { error: `${failed.error?.name}: ${failed.error?.message}` }
      }
      if (Date.now() > deadline) return { error: `no result within ${timeoutMs / 1000} s` }
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
  } finally {
    db?.close()
  }
}

/** In the page: isolation, cores and the WebGPU adapter, if any. */
async function readPageFacts(): Promise<PageFacts> {
  interface Adapter {
    info?: {
      isFallbackAdapter?: boolean
      vendor?: string
      architecture?: string
      description?: string
    }
  }
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    webgpuAdapter: adapter
      ? {
          fallback: adapter.info?.isFallbackAdapter === true,
          vendor: adapter.info?.vendor ?? '',
          architecture: adapter.info?.architecture ?? '',
          description: adapter.info?.description ?? '',
        }
      : undefined,
  }
}

/** Warns when app, worker or model sources changed after the build in .next/ was made. */
function warnIfStaleBuild() {
  const buildId = path.join(root, '.next/BUILD_ID')
  if (options.build || options['base-url'] || !existsSync(buildId)) return
  const built = statSync(buildId).mtimeMs
  const newer = ['app', 'workers', 'models']
    .flatMap((dir) =>
      readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) =>
        path.join(dir, file),
      ),
    )
    .filter((file) => /\.(tsx?|css)$/.test(file) && statSync(path.join(root, file)).mtimeMs > built)
  if (newer.length > 0) {
    console.warn(
      `Warning: ${newer.length} source files (${newer.slice(0, 3).join(', ')}…) changed after ` +
        'the build in .next/; pass --build to rebuild.',
    )
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function summaryTable(figures: TaskFigures[]): string {
  const header = [
    'task',
    'photo',
    'native',
    'WASM in Node',
    ...providers.map((p) => providerLabels[p]),
    ...(providers.length ? ['decode', 'cold first result'] : []),
  ]
  const rows = figures.map(({ task, photo, native, wasmNode, browser }) => {
    const nativeCell = native.median !== undefined ? ms(native.median) : `error`
    const withRatio = (median: number, flag = '') =>
      native.median === undefined
        ? ms(median)
        : `${ms(median)} (${(median / native.median).toFixed(2)}×${flag})`
    const wasmNodeCell =
      wasmNode.median !== undefined ? withRatio(wasmNode.median) : wasmNode.error ? 'error' : '–'
    const cells = providers.map((provider) => {
      const figure = browser[provider]
      if (!figure) return '–'
      if (figure.error) return 'error'
      if (figure.skipped) return `skipped (${figure.skipped.split(' (')[0]})`
      if (figure.median === undefined) return '–'
      const above = native.median !== undefined && figure.median / native.median > goalRatio
      return withRatio(figure.median, provider === 'wasm-threads' && above ? ' !' : '')
    })
    const reference = browser['wasm-threads'] ?? browser[providers[0]!]
    const extra = providers.length
      ? [
          reference?.decodeMedian !== undefined ? ms(reference.decodeMedian) : '–',
          reference?.coldMs !== undefined ? seconds(reference.coldMs) : '–',
        ]
      : []
    return [task, photo, nativeCell, wasmNodeCell, ...cells, ...extra]
  })
  return formatTable(header, rows)
}

function coldTable(figures: TaskFigures[]): string {
  const header = [
    'cold first result',
    'native (sessions + 1st run)',
    'WASM in Node',
    ...providers.map((p) => providerLabels[p]),
  ]
  const rows = figures.map(({ task, native, wasmNode, browser }) => [
    task,
    native.error && !native.before
      ? 'error'
      : `${seconds(native.coldMs)} (${seconds(native.sessionMs)} sessions)`,
    wasmNode.coldMs !== undefined && wasmNode.sessionMs !== undefined
      ? `${seconds(wasmNode.coldMs)} (${seconds(wasmNode.sessionMs)} sessions)`
      : '–',
    ...providers.map((provider) => {
      const figure = browser[provider]
      return figure?.coldMs !== undefined ? seconds(figure.coldMs) : '–'
    }),
  ])
  return formatTable(header, rows)
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)))
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

function describeThreads(figures: TaskFigures[]): string {
  const seen = new Set(
    figures
      .map((f) => f.browser['wasm-threads'])
      .filter((f) => f?.provider === 'wasm')
      .map((f) => f!.threads),
  )
  return seen.size ? `${[...seen].join(', ')} per session` : 'not measured'
}

// ---------------------------------------------------------------------------------------------
// Helpers

function parseList(value: string | undefined, allowed: readonly string[], name: string): string[] {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = items.filter((item) => !allowed.includes(item))
  if (unknown.length > 0 || items.length === 0) {
    throw new Error(
      `${name}: ${unknown.join(', ') || 'empty'}; expected some of ${allowed.join(', ')}`,
    )
  }
  return [...new Set(items)]
}

/** Distinct (physical id, core id) pairs in /proc/cpuinfo: what ORT counts for its default. */
function physicalCores(): number {
  try {
    const pairs = new Set<string>()
    let physical = ''
    for (const line of readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
      const [key, value] = line.split(':').map((s) => s.trim())
      if (key === 'physical id') physical = value ?? ''
      if (key === 'core id') pairs.add(`${physical}/${value}`)
    }
    return pairs.size || os.cpus().length
  } catch {
    return os.cpus().length
  }
}

function packageVersion(name: string): string | undefined {
  try {
    const file = path.join(root, 'node_modules', name, 'package.json')
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
  } catch {
    return undefined
  }
}

function ms(value: number | undefined): string {
  if (value === undefined) return '–'
  return value < 10
    ? `${value.toFixed(2)} ms`
    : value < 100
      ? `${value.toFixed(1)} ms`
      : `${Math.round(value)} ms`
}

function formatLoad(load: number[]): string {
  return load.map((l) => l.toFixed(2)).join(' ')
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
