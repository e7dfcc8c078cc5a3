// Gateway load benchmark (`npm run bench:gateway`; a script, not a test).
//
// 1. Creates a temp data dir and starts the real gateway (`server/index.ts` through tsx) in its
//    own process group on a free port, waits for /api/ready, signs up a user through the API
//    (keeping the `sightline_session` cookie) and pushes --records recipe records through
//    POST /api/sync/push, 500 per request.
// 2. Starts bench/gateway/bare-server.ts, also through tsx and in its own process group: a bare
//    node:http server reading the same database file through its own libSQL connection and doing
//    the same database work per request, with no framework. Checks once that both answer each
//    route with the same status and the same JSON body.
// 3. For each route (/api/health without the cookie; /api/account and
//    /api/sync/pull?since=0&limit=1000 with it): one warm-up per server, then --runs rounds of
//    `wrk --latency` against each, alternating which goes first. Medians of req/s, p50, p99 and
//    the server's CPU time per request (its process group's, from /proc).
// 4. Stops both process groups and removes the temp dir, also on error or Ctrl-C.
//
// Prints the table with the gateway/bare ratio (goal: at least 0.8× bare on the database routes).
// wrk runs on the same cores as the server under test, so compare ratios from one run, not
// absolute figures across machines. Options: npx tsx bench/gateway/run.ts --help

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, isDeepStrictEqual } from 'node:util'

/** The part of bench/lib.mjs this benchmark uses (plain JavaScript, imported by URL). */
interface BenchLib {
  root: string
  runBench(main: () => Promise<void>): Promise<void>
  addCleanup(fn: () => unknown): void
  freePort(): Promise<number>
  stopGroup(pid: number): Promise<void>
  killGroup(pid: number, signal: NodeJS.Signals): void
  medianOf(values: number[]): number
  positiveInt(options: Record<string, unknown>, name: string): number
  gitCommit(): string | undefined
  sleep(ms: number): Promise<void>
}
const lib = (await import(new URL('../lib.mjs', import.meta.url).href)) as BenchLib
const { root, medianOf } = lib

const tsxCli = path.join(root, 'node_modules/tsx/dist/cli.mjs')
const goalRatio = 0.8
const pushBatch = 500
const wrkTimeout = '10s'
const password = 'correct horse battery'

const routes = {
  health: { path: '/api/health', authenticated: false },
  account: { path: '/api/account', authenticated: true },
  pull: { path: '/api/sync/pull?since=0&limit=1000', authenticated: true },
} as const
type RouteName = keyof typeof routes
const routeNames = Object.keys(routes) as RouteName[]
const targets = ['gateway', 'bare'] as const
type Target = (typeof targets)[number]

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    connections: { type: 'string', default: '50' },
    threads: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2s' },
    records: { type: 'string', default: '1000' },
    routes: { type: 'string', default: routeNames.join(',') },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})

if (options.help) {
  console.log(`Usage: npm run bench:gateway -- [options]

  --duration D      wrk duration of each timed run, e.g. 10s, 1m (default 10s)
  --connections N   wrk connections (default 50)
  --threads N       wrk threads (default 2)
  --runs N          timed runs per route and server, alternating the two (default 3)
  --warmup D        one wrk run per route and server before the timed ones; 0 skips (default 2s)
  --records N       recipe records seeded through /api/sync/push (default 1000)
  --routes LIST     comma-separated: ${routeNames.join(',')} (default: all)
  --json FILE       also write every figure to FILE as JSON

Needs wrk (apt-get install wrk). The gateway and the bare server run through tsx, each in its
own process group, on a temp data dir that is removed afterwards.`)
  process.exit(0)
}

const settings = readOptions()

/** The parsed options; a bad one ends the process with its message and exit code 2. */
function readOptions() {
  try {
    const duration = (name: string, value: string) => {
      if (!/^\d+[smh]?$/.test(value)) throw new Error(`--${name} must look like 10s, 1m or 0`)
      return value
    }
    const chosen = (options.routes ?? '').split(',').map((name) => name.trim())
    for (const name of chosen) {
      if (!(name in routes)) throw new Error(`--routes: unknown route ${name}`)
    }
    return {
      duration: duration('duration', options.duration ?? ''),
      warmup: duration('warmup', options.warmup ?? ''),
      connections: lib.positiveInt(options, 'connections'),
      threads: lib.positiveInt(options, 'threads'),
      runs: lib.positiveInt(options, 'runs'),
      records: lib.positiveInt(options, 'records'),
      routes: chosen as RouteName[],
    }
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error} (see --help)`)
    process.exit(2)
  }
}

interface WrkRun {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  requests: number
  bytesPerResponse: number
  timeouts: number
  /** CPU time of the server's process group per answered request, µs. */
  cpuUsPerRequest: number
}

interface Server {
  origin: string
  /** Its process group. */
  pid: number
}

interface RouteFigures {
  route: RouteName
  path: string
  /** Body bytes of one answer, from the agreement check. */
  bodyBytes: Record<Target, number>
  runs: Record<Target, WrkRun[]>
  median: Record<
    Target,
    { requestsPerSecond: number; p50Ms: number; p99Ms: number; cpuUsPerRequest: number }
  >
  /** Gateway req/s ÷ bare req/s. */
  ratio: number
  /** Bare CPU per request ÷ gateway CPU per request (higher is better, like `ratio`). */
  cpuRatio: number
}

async function main() {
  const loadBefore = os.loadavg()
  const wrkVersion = spawnSync('wrk', ['-v'], { encoding: 'utf8' })
  if (wrkVersion.error) throw new Error('wrk is not installed (apt-get install wrk)')
  const facts = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    node: process.version,
    wrk: wrkVersion.stdout.split('\n')[0]?.trim() ?? 'unknown',
    commit: lib.gitCommit(),
  }
  console.log(
    `${facts.cores} cores, ${facts.cpu}; Node ${facts.node}; ${facts.wrk}\n` +
      `load average before: ${formatLoad(loadBefore)}`,
  )

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-gateway-'))
  lib.addCleanup(() => rmSync(dataDir, { recursive: true, force: true }))
  const serverEnv = { HOST: '127.0.0.1', SIGHTLINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }

  const gateway = await startServer('gateway', 'server/index.ts', serverEnv, '/api/ready', dataDir)
  const cookie = await signUp(gateway.origin)
  const seedStarted = performance.now()
  await seed(gateway.origin, cookie, settings.records)
  console.log(
    `Seeded ${settings.records} recipe records through /api/sync/push in ` +
      `${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  )
  const bare = await startServer(
    'bare',
    'bench/gateway/bare-server.ts',
    serverEnv,
    '/api/health',
    dataDir,
  )
  const servers: Record<Target, Server> = { gateway, bare }
  lib.addCleanup(stopWrk)

  const figures: RouteFigures[] = []
  for (const route of settings.routes) {
    const { path: routePath, authenticated } = routes[route]
    const headers = authenticated ? { cookie } : undefined
    const bodyBytes = await checkAgreement(route, servers, headers)

    console.log(`\n${route}: GET ${routePath}${authenticated ? ' (with the session cookie)' : ''}`)
    if (settings.warmup !== '0') {
      for (const target of targets) await wrk(servers[target], routePath, headers, true)
    }
    const runs: Record<Target, WrkRun[]> = { gateway: [], bare: [] }
    for (let run = 0; run < settings.runs; run++) {
      const order = run % 2 === 0 ? targets : [...targets].reverse()
      for (const target of order) {
        const result = await wrk(servers[target], routePath, headers)
        runs[target].push(result)
        console.log(
          `  run ${run + 1}/${settings.runs} ${target.padEnd(7)} ${perSecond(result.requestsPerSecond).padStart(8)} req/s` +
            `  p50 ${ms(result.p50Ms)}  p99 ${ms(result.p99Ms)}` +
            `  ${result.cpuUsPerRequest.toFixed(0)} µs CPU/request` +
            `  ${result.bytesPerResponse.toFixed(0)} B/response` +
            (result.timeouts ? `  ${result.timeouts} timeouts` : ''),
        )
      }
    }
    const median = (target: Target) => ({
      requestsPerSecond: medianOf(runs[target].map((r) => r.requestsPerSecond)),
      p50Ms: medianOf(runs[target].map((r) => r.p50Ms)),
      p99Ms: medianOf(runs[target].map((r) => r.p99Ms)),
      cpuUsPerRequest: medianOf(runs[target].map((r) => r.cpuUsPerRequest)),
    })
    const medians = { gateway: median('gateway'), bare: median('bare') }
    figures.push({
      route,
      path: routePath,
      bodyBytes,
      runs,
      median: medians,
      ratio: medians.gateway.requestsPerSecond / medians.bare.requestsPerSecond,
      cpuRatio: medians.bare.cpuUsPerRequest / medians.gateway.cpuUsPerRequest,
    })
  }
  const loadAfter = os.loadavg()

  console.log(`\n${summaryTable(figures)}`)
  console.log(
    [
      '',
      `Medians of ${settings.runs} runs of wrk -t${settings.threads} -c${settings.connections} ` +
        `-d${settings.duration} --latency --timeout=${wrkTimeout} per route and server, alternating which goes first` +
        `${settings.warmup !== '0' ? `, after a ${settings.warmup} warm-up each` : ''}.`,
      `ratio = gateway req/s ÷ bare req/s; goal ≥ ${goalRatio}× on the database routes ` +
        "(account, pull); ! marks a miss. CPU/request: user + system time of the server's " +
        'process group during the run ÷ requests answered, which other load on the machine ' +
        'skews far less than req/s (CPU ratio = bare ÷ gateway, so higher is better like req/s). ' +
        'Both servers run through tsx on one libSQL file ' +
        `with ${settings.records} records; the bare one is bench/gateway/bare-server.ts.`,
      `Body bytes (gateway / bare): ${figures
        .map((f) => `${f.route} ${f.bodyBytes.gateway} / ${f.bodyBytes.bare}`)
        .join(', ')}; the gateway adds its security headers and X-Request-Id.`,
      `Load average (1, 5, 15 min): ${formatLoad(loadBefore)} before, ${formatLoad(loadAfter)} ` +
        `after, on ${facts.cores} cores; wrk shares them with the server under test, and other ` +
        'processes skew every figure.',
    ].join('\n'),
  )

  if (options.json) {
    const parameters = { ...settings, goalRatio }
    const environment = { ...facts, loadAverage: { before: loadBefore, after: loadAfter } }
    writeFileSync(
      options.json,
      `${JSON.stringify({ environment, parameters, figures }, null, 2)}\n`,
    )
    console.log(`Figures written to ${options.json}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

/**
 * Starts `script` through tsx in its own process group (stopped by the bench's clean-up) on a
 * free port; resolves once `readyPath` answers 200.
 */
async function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  readyPath: string,
  logDir: string,
): Promise<Server> {
  const port = await lib.freePort()
  const origin = `http://127.0.0.1:${port}`
  const logFile = path.join(logDir, `${name}.log`)
  const log = openSync(logFile, 'w')
  const child = spawn(process.execPath, [tsxCli, script], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...env, PORT: String(port) },
  })
  closeSync(log)
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start the ${name} server`)
  let exited = false
  child.on('exit', () => (exited = true))
  process.on('exit', () => lib.killGroup(pid, 'SIGKILL'))
  lib.addCleanup(() => lib.stopGroup(pid))

  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`the ${name} server exited early:\n${tail(logFile)}`)
    try {
      const response = await fetch(`${origin}${readyPath}`, { signal: AbortSignal.timeout(5_000) })
      if (response.ok) break
      throw new Error(`HTTP ${response.status}`)
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`the ${name} server did not answer ${readyPath} within 60 s: ${error}`)
      }
      await lib.sleep(200)
    }
  }
  console.log(`${name} server up on ${origin} (${script})`)
  return { origin, pid }
}

function tail(file: string) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')
  } catch {
    return '(no log)'
  }
}

/** Signs up through the API; the `sightline_session=…` pair of the answer's cookie. */
async function signUp(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: 'bench@example.com', password }),
  })
  if (response.status !== 201) {
    throw new Error(`sign-up answered ${response.status}: ${await response.text()}`)
  }
  const pair = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((item) => item.startsWith('sightline_session='))
  if (!pair) throw new Error('sign-up set no sightline_session cookie')
  return pair
}

/** Pushes `count` new recipe records, `pushBatch` per request; each must be applied. */
async function seed(origin: string, cookie: string, count: number) {
  for (let start = 0; start < count; start += pushBatch) {
    const changes = Array.from({ length: Math.min(pushBatch, count - start) }, () => {
      const id = randomUUID()
      return {
        kind: 'recipe',
        id,
        changeId: randomUUID(),
        baseSeq: null,
        deleted: false,
        data: {
          imageId: id,
          operations: [{ op: 'rotate', params: { degrees: 90, fill: 'black' } }],
          revision: 1,
          savedAt: Date.now(),
          width: 640,
          height: 480,
          mime: 'image/jpeg',
          files: {},
        },
      }
    })
    const response = await fetch(`${origin}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, cookie },
      body: JSON.stringify({ deviceId: 'bench-device-1', changes }),
    })
    if (response.status !== 200) {
      throw new Error(`push answered ${response.status}: ${await response.text()}`)
    }
    const { outcomes } = (await response.json()) as { outcomes: { status: string }[] }
    const applied = outcomes.filter((outcome) => outcome.status === 'applied').length
    if (applied !== changes.length) {
      throw new Error(`push applied ${applied} of ${changes.length} changes`)
    }
  }
}

/**
 * Fails unless the gateway and the bare server answer `route` with the same status and JSON body
 * (and, on the database routes, with every seeded record). Returns each one's body bytes.
 */
async function checkAgreement(
  route: RouteName,
  servers: Record<Target, Server>,
  headers: Record<string, string> | undefined,
): Promise<Record<Target, number>> {
  const answers = await Promise.all(
    targets.map(async (target) => {
      const response = await fetch(`${servers[target].origin}${routes[route].path}`, { headers })
      const text = await response.text()
      return { status: response.status, text, body: JSON.parse(text) as unknown }
    }),
  )
  const [gateway, bare] = answers as [(typeof answers)[0], (typeof answers)[0]]
  const fail = (why: string) => {
    throw new Error(
      `${route}: the gateway and the bare server disagree (${why}).\n` +
        `  gateway ${gateway.status}: ${gateway.text.slice(0, 300)}\n` +
        `  bare    ${bare.status}: ${bare.text.slice(0, 300)}`,
    )
  }
  if (gateway.status !== 200 || bare.status !== 200) fail('status other than 200')
  if (!isDeepStrictEqual(gateway.body, bare.body)) fail('different bodies')
  const expected = Math.min(settings.records, 1000)
  if (route === 'account') {
    const { usage } = gateway.body as { usage: { records: number } }
    if (usage.records !== settings.records) fail(`${usage.records} records counted`)
  }
  if (route === 'pull') {
    const { changes, hasMore } = gateway.body as { changes: unknown[]; hasMore: boolean }
    if (changes.length !== expected || hasMore !== settings.records > 1000) {
      fail(`${changes.length} changes pulled, hasMore ${hasMore}`)
    }
  }
  return { gateway: Buffer.byteLength(gateway.text), bare: Buffer.byteLength(bare.text) }
}

// ---------------------------------------------------------------------------------------------
// wrk

let running: ChildProcess | undefined
let stopping = false

/** Ends the wrk run in progress and refuses new ones (registered last, so it runs first). */
function stopWrk() {
  stopping = true
  running?.kill('SIGKILL')
}

/**
 * One wrk run against `server`; fails on non-2xx answers or socket errors other than timeouts.
 * Also reads the CPU time the server's process group spent meanwhile.
 */
async function wrk(
  server: Server,
  routePath: string,
  headers: Record<string, string> | undefined,
  warmup = false,
): Promise<WrkRun> {
  const url = `${server.origin}${routePath}`
  const args = [
    `-t${settings.threads}`,
    `-c${settings.connections}`,
    `-d${warmup ? settings.warmup : settings.duration}`,
    '--latency',
    // Pulls of 1,000 records queue past wrk's default 2 s; a timed-out request skews both figures.
    `--timeout=${wrkTimeout}`,
    ...Object.entries(headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    url,
  ]
  if (stopping) throw new Error('stopping')
  const cpuBefore = groupCpuSeconds(server.pid)
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  running = child
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  running = undefined
  if (stopping) throw new Error('stopping')
  const cpuSeconds = groupCpuSeconds(server.pid) - cpuBefore
  if (code !== 0) throw new Error(`wrk ${args.join(' ')} exited with ${code}:\n${output}`)
  const result = parseWrk(output, url)
  return { ...result, cpuUsPerRequest: (cpuSeconds * 1e6) / result.requests }
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

/** User + system CPU seconds of the live processes in process group `pgid` (/proc). */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // Fields after the parenthesised command name: state ppid pgrp … utime (14th) stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / clockTicks
}

const timeUnits: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const sizeUnits: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }

function parseWrk(output: string, url: string): Omit<WrkRun, 'cpuUsPerRequest'> {
  const fail = (what: string) => {
    throw new Error(`wrk against ${url}: ${what}\n${output}`)
  }
  const percentile = (p: number) => {
    const match = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(output)
    if (!match) return fail(`no ${p}% latency in the output`)
    return Number(match[1]) * (timeUnits[match[2] ?? ''] ?? NaN)
  }
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(output)
  const total = /(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read/.exec(output)
  if (!rate || !total) return fail('no Requests/sec or request count in the output')
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)
  if (non2xx) fail(`${non2xx[1]} answers were not 2xx/3xx`)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  if (socket && Number(socket[1]) + Number(socket[2]) + Number(socket[3]) > 0) {
    fail('socket errors')
  }
  const requests = Number(total[1])
  return {
    requestsPerSecond: Number(rate[1]),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    requests,
    bytesPerResponse: (Number(total[2]) * (sizeUnits[total[3] ?? ''] ?? NaN)) / requests,
    timeouts: Number(socket?.[4] ?? 0),
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function summaryTable(figures: RouteFigures[]) {
  const header = [
    'route',
    'gateway req/s',
    'bare req/s',
    'ratio',
    'gateway p50 / p99',
    'bare p50 / p99',
    'CPU µs/req gateway / bare',
    'CPU ratio',
    'goal',
  ]
  const rows = figures.map(({ route, median, ratio, cpuRatio }) => {
    const database = routes[route].authenticated
    return [
      route,
      perSecond(median.gateway.requestsPerSecond),
      perSecond(median.bare.requestsPerSecond),
      `${ratio.toFixed(2)}×`,
      `${ms(median.gateway.p50Ms)} / ${ms(median.gateway.p99Ms)}`,
      `${ms(median.bare.p50Ms)} / ${ms(median.bare.p99Ms)}`,
      `${median.gateway.cpuUsPerRequest.toFixed(0)} / ${median.bare.cpuUsPerRequest.toFixed(0)}`,
      `${cpuRatio.toFixed(2)}×`,
      database ? (ratio >= goalRatio ? `ok (≥ ${goalRatio}×)` : `! below ${goalRatio}×`) : '–',
    ]
  })
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const perSecond = (value: number) => Math.round(value).toLocaleString('en-US')
const ms = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`)
const formatLoad = (load: number[]) => load.map((value) => value.toFixed(2)).join(', ')

await lib.runBench(main)
