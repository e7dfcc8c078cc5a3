#!/usr/bin/env node
// Edit-operation benchmark (`npm run bench:transform`; a script, not a test).
//
// For each edit operation, on one 12-megapixel photo (a fixture scaled with sharp to 4000×3000):
//
// 1. The app's code in a Web Worker in headless Chromium: bench/transform/worker.ts, bundled
//    here with esbuild, loads opencv.js with the app's loader (workers/runtime/opencv.ts, which
//    fetches /vendor/opencv.js) and times `applyRecipe(cv, image, [operation], { orientation: 1 })`
//    with performance.now(). That includes copying the pixels into the WASM heap and back out,
//    which the app pays too. The RGBA pixels are transferred to the worker once. A throwaway
//    node:http server on 127.0.0.1 serves the page, the bundle, public/vendor/opencv.js and the
//    pixels.
// 2. The reference: the same operation with sharp (libvips) in this process, from the same raw
//    RGBA buffer to a raw buffer, with sharp's default thread count (printed; also with 1 thread
//    when the default is more), its operation cache off.
//
// Each: 1 warm-up run, then --runs timed runs; the median. The ratio is worker / sharp; '–' where
// sharp has no equivalent. Exits non-zero if any operation throws in the worker.
// Options: node bench/transform/run.mjs [--runs N] [--photo NAME] [--only TEXT]

import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import sharp from 'sharp'
import {
  addCleanup,
  chromiumVersion,
  medianOf,
  positiveInt,
  root,
  runBench,
  settle,
  withFreshBrowser,
} from '../lib.mjs'

const width = 4000
const height = 3000

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    photo: { type: 'string', default: 'dog.jpg' },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (options.help) {
  console.log(`Usage: node bench/transform/run.mjs [options]
  --runs N       timed runs per operation and side, after 1 warm-up (default 5)
  --photo NAME   photo in fixtures/, scaled (and centre-cropped to 4:3) to ${width}×${height}
                 (default dog.jpg, which is 4:3 already)
  --only TEXT    only the operations whose name contains TEXT`)
  process.exit(0)
}
const runs = positiveInt(options, 'runs')

// CLAHE: the app splits the short side into `tiles` tiles and the long side into as many tiles
// of about the same size (models/_transform/ops/clahe.ts); libvips slides a window of one tile's
// size. Both limit the slope of the local cumulative histogram (OpenCV's clipLimit, libvips'
// max_slope, an integer) relative to a uniform histogram.
const claheTiles = 8
const claheClip = 2
const claheWindow = {
  width: Math.round(width / Math.round((claheTiles * width) / height)),
  height: Math.round(height / claheTiles),
}

// adjust: out = (1 + contrast / 100) · (in − 128) + 128 + 1.27 · brightness = a · in + b.
const contrast = 20
const brightness = 10
const linearA = 1 + contrast / 100
const linearB = 128 - linearA * 128 + 1.27 * brightness

const black = { background: '#000000' }
const cropRect = { x: 0.25, y: 0.25, width: 0.5, height: 0.5 }
const face = { x: 0.42, y: 0.2, width: 0.1, height: 0.15, kind: 'face', enabled: true, label: 'A' }

/**
 * name, the recipe step (undefined: an empty recipe), and the sharp equivalent if any: its call
 * as printed, the function, and `once` where one sharp run takes minutes (no warm-up, 1 run).
 */
const allOperations = [
  {
    name: 'none (copy in + out)',
    operation: undefined,
    sharp: { call: '(none)', apply: (s) => s },
  },
  {
    name: 'rotate 90°',
    operation: { op: 'rotate', degrees: 90 },
    sharp: { call: '.rotate(90)', apply: (s) => s.rotate(90) },
  },
  {
    name: 'rotate 7°, black fill',
    operation: { op: 'rotate', degrees: 7, fill: 'black' },
    sharp: { call: ".rotate(7, { background: '#000' })", apply: (s) => s.rotate(7, black) },
  },
  {
    name: 'flip horizontal',
    operation: { op: 'flip', axis: 'horizontal' },
    sharp: { call: '.flop()', apply: (s) => s.flop() },
  },
  {
    name: 'flip vertical',
    operation: { op: 'flip', axis: 'vertical' },
    sharp: { call: '.flip()', apply: (s) => s.flip() },
  },
  {
    name: 'crop centre half',
    operation: { op: 'crop', rect: cropRect },
    sharp: {
      call: `.extract({ left: ${width / 4}, top: ${height / 4}, width: ${width / 2}, height: ${height / 2} })`,
      apply: (s) =>
        s.extract({ left: width / 4, top: height / 4, width: width / 2, height: height / 2 }),
    },
  },
  {
    name: 'resize long side 2000',
    operation: { op: 'resize', longSide: 2000 },
    sharp: { call: '.resize(2000)', apply: (s) => s.resize(2000) },
  },
  {
    name: 'grayscale',
    operation: { op: 'grayscale' },
    sharp: { call: '.grayscale()', apply: (s) => s.grayscale() },
  },
  {
    name: `adjust contrast ${contrast} brightness ${brightness}`,
    operation: { op: 'adjust', contrast, brightness },
    sharp: {
      call: `.linear(${linearA}, ${linearB.toFixed(1)})`,
      apply: (s) => s.linear(linearA, linearB),
    },
  },
  { name: 'adjust gamma 2', operation: { op: 'adjust', gamma: 2 } },
  { name: 'white balance', operation: { op: 'white-balance' } },
  { name: 'equalize', operation: { op: 'equalize' } },
  {
    name: `clahe clip ${claheClip}, ${claheTiles} tiles`,
    operation: { op: 'clahe', clipLimit: claheClip, tiles: claheTiles },
    sharp: {
      call: `.clahe({ width: ${claheWindow.width}, height: ${claheWindow.height}, maxSlope: ${claheClip} })`,
      apply: (s) => s.clahe({ ...claheWindow, maxSlope: claheClip }),
      once: true,
    },
  },
  { name: 'denoise (bilateral, defaults)', operation: { op: 'denoise' } },
  {
    name: 'sharpen amount 1 radius 1.5',
    operation: { op: 'sharpen', amount: 1, radius: 1.5 },
    sharp: { call: '.sharpen({ sigma: 1.5 })', apply: (s) => s.sharpen({ sigma: 1.5 }) },
  },
  {
    name: 'blur radius 2',
    operation: { op: 'blur', radius: 2 },
    sharp: { call: '.blur(2)', apply: (s) => s.blur(2) },
  },
  { name: 'canny (defaults)', operation: { op: 'canny' } },
  { name: 'threshold adaptive (defaults)', operation: { op: 'threshold' } },
  {
    name: 'morphology open 3',
    operation: { op: 'morphology', kind: 'open', size: 3 },
    sharp: { call: '.erode(1).dilate(1)', apply: (s) => s.erode(1).dilate(1) },
  },
  {
    name: 'perspective, mild quad',
    operation: {
      op: 'perspective',
      corners: [
        [0.05, 0.03],
        [0.96, 0.06],
        [0.94, 0.97],
        [0.03, 0.95],
      ],
    },
  },
  {
    name: 'redact blur, one face',
    operation: { op: 'redact', style: 'blur', regions: [face] },
  },
]
const operations = options.only
  ? allOperations.filter(({ name }) => name.includes(options.only))
  : allOperations

const notes = [
  'worker: opencv.js (WASM, 1 thread) in a dedicated worker; each time includes cv.matFromImageData',
  '  (pixels into the WASM heap) and copying the result out, as in the app.',
  'sharp: raw RGBA buffer in, raw buffer out (sharp.cache(false), so no run reuses another).',
  `clahe: the app's 8 tiles across the short side = tiles of ≈ ${claheWindow.width}×${claheWindow.height} px;`,
  "  libvips' CLAHE slides a window of that size over every pixel, maxSlope = clipLimit. One sharp",
  '  call takes minutes, so it is timed once, without warm-up (marked *).',
  "morphology: sharp's erode/dilate are libvips' morph, made for 0/255 masks (3×3 at width 1), and",
  '  sharp always dilates first: a cost reference only, its output on a photo is not an opening.',
  'sharpen: sharp sharpens L* in LAB (m1 = 1, m2 = 2); the app unsharp-masks each RGB channel.',
  'resize: sharp uses lanczos3; the app INTER_AREA. grayscale: sharp outputs 1 band, the app RGBA.',
  'gamma, white balance, equalize (≠ .normalise()), bilateral denoise, canny, adaptive threshold,',
  '  perspective warp and region redaction have no single sharp equivalent: –.',
]

/** The page: one module-less worker, and helpers that ask it one thing at a time. */
const pageHtml = `<!doctype html>
<meta charset="utf-8">
<title>transform bench</title>
<script>
  const worker = new Worker('/worker.js')
  window.ask = (request, transfer = []) =>
    new Promise((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data)
      worker.onerror = (event) => reject(new Error(event.message || 'the worker failed'))
      worker.onmessageerror = () => reject(new Error('a message could not be read'))
      worker.postMessage(request, transfer)
    })
  window.sendImage = async (width, height) => {
    const buffer = await (await fetch('/image.rgba')).arrayBuffer()
    const reply = await window.ask({ type: 'image', buffer, width, height }, [buffer])
    if (!reply.ok) throw new Error(reply.error)
  }
</script>`

await runBench(main)

async function main() {
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')
  const started = new Date()
  const loadBefore = load()
  const raw = await preparePixels()
  const worker = await timeWorker(raw)
  const sharpThreads = sharp.concurrency()
  const threadCounts = sharpThreads > 1 ? [sharpThreads, 1] : [sharpThreads]
  const reference = await timeSharp(raw, threadCounts)

  const cpus = os.cpus()
  console.log(`\nbench:transform — ${started.toISOString()}`)
  console.log(
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores; ${chromiumVersion()}`,
  )
  console.log(
    `Node ${process.version}; sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}; ` +
      `load average at start ${loadBefore}, at end ${load()}`,
  )
  console.log(
    `Photo: fixtures/${options.photo} scaled with sharp to ${width}×${height} (12 MP) RGBA; ` +
      `1 warm-up + median of ${runs} run${runs > 1 ? 's' : ''} per operation`,
  )
  console.log(`opencv.js load in the worker (fetch + compile + init): ${ms(worker.loadMs)} ms`)
  console.log(
    `sharp threads (sharp.concurrency() default): ${sharpThreads}` +
      (sharpThreads === 1 ? ' (sharp picks 1 on glibc Linux without jemalloc)\n' : '\n'),
  )

  const headers = [
    'operation',
    'worker ms',
    ...threadCounts.map((n) => `sharp ms (${n} thr)`),
    'worker / sharp',
    'output (worker, sharp)',
    'sharp call',
  ]
  const rows = operations.map(({ name, sharp: equivalent }, index) => {
    const w = worker.results[index]
    const s = reference[index]
    const star = equivalent?.once ? '*' : ''
    return [
      name,
      w.error ? 'ERROR' : ms(medianOf(w.ms)),
      ...threadCounts.map((_, t) => (s ? `${ms(medianOf(s[t].ms))}${star}` : '–')),
      s && !w.error ? `${(medianOf(w.ms) / medianOf(s[0].ms)).toFixed(2)}×` : '–',
      [w.error ? '?' : `${w.width}×${w.height}`, s ? `${s[0].width}×${s[0].height}` : '']
        .filter(Boolean)
        .join(', '),
      equivalent?.call ?? '–',
    ]
  })
  printTable(headers, rows, [false, true, ...threadCounts.map(() => true), true, false, false])
  console.log(
    `\nworker / sharp: the app's operation (opencv.js, WASM, one thread, in a Chromium worker) ` +
      `takes that many times the time of libvips doing the same natively in Node on ` +
      `${sharpThreads} thread${sharpThreads > 1 ? 's' : ''}; > 1 means the app is slower.`,
  )
  console.log('Other processes on this machine share its cores: compare ratios, not raw times.')
  console.log(`\nNotes:\n${notes.map((line) => `  ${line}`).join('\n')}`)

  const failed = operations.filter((_, index) => worker.results[index].error)
  operations.forEach(({ name }, index) => {
    const { error } = worker.results[index]
    if (error) console.error(`worker: ${name} threw: ${error}`)
  })
  if (failed.length) throw new Error(`${failed.length} operation(s) threw in the worker`)
}

/** The photo as raw RGBA, 4000×3000 (scaled up; centre-cropped if it is not 4:3). */
async function preparePixels() {
  const { data, info } = await sharp(path.join(root, 'fixtures', options.photo))
    .rotate()
    .resize(width, height)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.width !== width || info.height !== height || info.channels !== 4) {
    throw new Error(`unexpected pixels: ${JSON.stringify(info)}`)
  }
  return data
}

/** Every operation in a worker in headless Chromium: opencv.js load time and per-op run times. */
async function timeWorker(raw) {
  const bundle = await build({
    entryPoints: [path.join(root, 'bench/transform/worker.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  })
  const files = {
    '/': { type: 'text/html; charset=utf-8', body: pageHtml },
    '/worker.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents },
    '/vendor/opencv.js': {
      type: 'text/javascript',
      body: readFileSync(path.join(root, 'public/vendor/opencv.js')),
    },
    '/image.rgba': { type: 'application/octet-stream', body: raw },
  }
  const server = createServer((request, response) => {
    const file = files[request.url]
    response.writeHead(file ? 200 : 404, { 'Content-Type': file?.type ?? 'text/plain' })
    response.end(file?.body ?? 'not found')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  addCleanup(() => new Promise((resolve) => server.close(resolve)))
  const baseURL = `http://127.0.0.1:${server.address().port}`

  return withFreshBrowser(async (_context, page) => {
    await page.goto(`${baseURL}/`, { waitUntil: 'load', timeout: 60_000 })
    const ask = async (what, request) => {
      const reply = await settle(
        page,
        page.evaluate((r) => window.ask(r), request),
        what,
      )
      if (!reply.ok) throw new Error(reply.error)
      return reply
    }
    const loadMs = (await ask('opencv.js', { type: 'load' })).ms[0]
    await settle(
      page,
      page.evaluate(({ w, h }) => window.sendImage(w, h), { w: width, h: height }),
      'the pixels',
    )
    const results = []
    for (const { name, operation } of operations) {
      process.stdout.write(`worker: ${name} … `)
      try {
        const reply = await ask(name, { type: 'time', operation, runs })
        console.log(`${ms(medianOf(reply.ms))} ms`)
        results.push(reply)
      } catch (error) {
        console.log('threw')
        results.push({ error: error instanceof Error ? error.message : String(error) })
      }
    }
    return { loadMs, results }
  })
}

/** Sharp's time for each operation with an equivalent, per thread count; undefined otherwise. */
async function timeSharp(raw, threadCounts) {
  sharp.cache(false)
  const input = { raw: { width, height, channels: 4 } }
  const results = []
  for (const { name, sharp: equivalent } of operations) {
    if (!equivalent) {
      results.push(undefined)
      continue
    }
    const perThreads = []
    for (const threads of threadCounts) {
      sharp.concurrency(threads)
      process.stdout.write(`sharp (${threads} thr): ${name} … `)
      const times = []
      let info
      for (let run = equivalent.once ? 1 : 0; run <= (equivalent.once ? 1 : runs); run++) {
        const started = performance.now()
        const out = await equivalent
          .apply(sharp(raw, input))
          .raw()
          .toBuffer({ resolveWithObject: true })
        if (run > 0) times.push(performance.now() - started)
        info = out.info
      }
      console.log(`${ms(medianOf(times))} ms`)
      perThreads.push({ ms: times, width: info.width, height: info.height })
    }
    results.push(perThreads)
  }
  sharp.concurrency(threadCounts[0])
  return results
}

/** @param {number} value milliseconds */
function ms(value) {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1)
}

/** Prints aligned columns; `right[i]` aligns column i to the right. */
function printTable(headers, rows, right) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')
  console.log(line(headers).trimEnd())
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row).trimEnd())
}
