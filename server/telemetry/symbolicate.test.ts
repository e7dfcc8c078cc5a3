import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SourceMapGenerator } from 'source-map-js'
import { createTestGateway, type TestGateway } from '../_testing/gateway'
import { createSymbolicator } from './symbolicate'

const source = [
  "import { decode } from './decode'",
  '',
  'export function analyse(bytes) {',
  "  if (bytes.length === 0) throw new RangeError('empty image')",
  '  return decode(bytes)',
  '}',
].join('\n')

/**
 * Writes a one-line minified bundle `chunks/<name>.js` and its map, as Turbopack does (the map
 * named by the bundle's last line), or beside it as `<name>.js.map` with `named: false`. Column
 * `throwAt` (0-based) of the bundle is line 4 of app/analyse.ts, and column 10 is line 5.
 */
function writeMap(dir: string, name: string, throwAt: number, named = true) {
  const map = new SourceMapGenerator({ file: `${name}.js` })
  const src = 'turbopack:///[project]/app/analyse.ts'
  map.addMapping({
    generated: { line: 1, column: 10 },
    original: { line: 5, column: 2 },
    source: src,
  })
  map.addMapping({
    generated: { line: 1, column: throwAt },
    original: { line: 4, column: 28 },
    source: src,
  })
  map.setSourceContent(src, source)
  mkdirSync(path.join(dir, 'chunks'), { recursive: true })
  const mapName = named ? `${name}-m4p.js.map` : `${name}.js.map`
  const bundle = `${' '.repeat(throwAt)}throw new RangeError("empty image")`
  writeFileSync(
    path.join(dir, 'chunks', `${name}.js`),
    named ? `${bundle}\n//# sourceMappingURL=${mapName}\n` : bundle,
  )
  writeFileSync(path.join(dir, 'chunks', mapName), map.toString())
}

const event = (id: string, bundle: string, colno: number) => ({
  event_id: id,
  exception: {
    values: [
      {
        type: 'RangeError',
        value: 'empty image',
        stacktrace: {
          frames: [
            {
              filename: `http://localhost:3000/_next/static/chunks/${bundle}.js?dpl=1`,
              function: 'a',
              lineno: 1,
              colno,
              in_app: true,
            },
          ],
        },
      },
    ],
  },
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sightline-maps-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('createSymbolicator', () => {
  it('maps bundle frames to their source file, line and code, and keeps where they were', () => {
    writeMap(dir, '0abc', 500)
    const mapped = createSymbolicator(dir).symbolicate(event('e1', '0abc', 501))
    expect(mapped.exception.values[0]?.stacktrace.frames[0]).toEqual({
      filename: 'app/analyse.ts',
      abs_path: 'app/analyse.ts',
      function: 'a',
      lineno: 4,
      colno: 29,
      in_app: true,
      context_line: "if (bytes.length === 0) throw new RangeError('empty image')",
      raw: {
        filename: 'http://localhost:3000/_next/static/chunks/0abc.js?dpl=1',
        lineno: 1,
        colno: 501,
      },
    })
  })

  it('finds a map beside its bundle when the bundle names none', () => {
    writeMap(dir, '1def', 500, false)
    const mapped = createSymbolicator(dir).symbolicate(event('e5', '1def', 501))
    expect(mapped.exception.values[0]?.stacktrace.frames[0]).toMatchObject({
      filename: 'app/analyse.ts',
      lineno: 4,
    })
  })

  it('leaves frames without a map, of other scripts, or without a position as they are', () => {
    const symbolicator = createSymbolicator(dir)
    const noMap = event('e2', 'missing', 501)
    expect(symbolicator.symbolicate(noMap)).toEqual(noMap)
    const elsewhere = event('e3', '0abc', 501)
    elsewhere.exception.values[0]!.stacktrace.frames[0]!.filename = 'https://cdn.example/x.js'
    expect(symbolicator.symbolicate(elsewhere)).toEqual(elsewhere)
    // Not a way out of the maps folder.
    const escape = event('e4', '../../../etc/passwd', 1)
    expect(symbolicator.symbolicate(escape)).toEqual(escape)
    expect(createSymbolicator(undefined).symbolicate(noMap)).toBe(noMap)
  })
})

describe('ingest with source maps', () => {
  let gateway: TestGateway
  afterEach(() => gateway?.close())

  it('groups the same error from two builds (other bundle names and columns) into one issue', async () => {
    writeMap(dir, 'build1', 500)
    writeMap(dir, 'build2', 740)
    gateway = await createTestGateway({ SIGHTLINE_SOURCE_MAPS_DIR: dir })
    for (const [id, bundle, colno] of [
      ['a'.repeat(32), 'build1', 501],
      ['b'.repeat(32), 'build2', 741],
    ] as const) {
      const body = `${JSON.stringify({ event_id: id, dsn: 'http://sightline@localhost/1' })}\n{"type":"event"}\n${JSON.stringify(event(id, bundle, colno))}\n`
      const response = await gateway.app.request('/api/telemetry/envelope', {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain' },
      })
      expect(response.status).toBe(200)
    }
    const admin = gateway.client()
    await admin.signUp('admin@example.com')
    const { issues } = (await (await admin.get('/api/admin/telemetry/issues')).json()) as {
      issues: { id: number; count: number; culprit: string }[]
    }
    expect(issues).toEqual([
      expect.objectContaining({
        count: 2,
        culprit: "app/analyse.ts: if (bytes.length === 0) throw new RangeError('empty image')",
      }),
    ])
    const { events } = (await (
      await admin.get(`/api/admin/telemetry/issues/${issues[0]!.id}/events`)
    ).json()) as { events: { payload: ReturnType<typeof event> }[] }
    expect(events[0]?.payload.exception.values[0]?.stacktrace.frames[0]).toMatchObject({
      filename: 'app/analyse.ts',
      lineno: 4,
    })
  })
})
