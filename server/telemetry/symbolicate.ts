import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import path from 'node:path'
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js'

/** A stack frame as the Sentry SDKs send it (the fields read or written here). */
export interface Frame {
  filename?: string
  abs_path?: string
  function?: string
  lineno?: number
  colno?: number
  in_app?: boolean
  context_line?: string
  /** Where the frame was in the bundle, kept when it is mapped to the source. */
  raw?: { filename?: string; lineno?: number; colno?: number }
}

interface EventWithFrames {
  exception?: { values?: { stacktrace?: { frames?: Frame[] } }[] }
}

/** Maps of bundles larger than this are not read (the app's largest is ≈ 2 MB). */
const maxMapBytes = 32 * 1024 * 1024
/** Parsed maps kept, most recently used last. */
const cachedMaps = 24
const maxContextLine = 200

/** `/_next/static/chunks/abc.js` (any origin, no query) → `chunks/abc.js`. */
const bundlePath = (url: string) => /\/_next\/static\/([\w\-./]+\.js)(?:[?#].*)?$/.exec(url)?.[1]

/** `turbopack:///[project]/app/x.ts`, `webpack://_N_E/./app/x.ts` → `app/x.ts`. */
const sourcePath = (source: string) =>
  source
    .replace(/^[a-z-]+:\/\/\/?(\[project\]\/|_N_E\/)?/, '')
    .replace(/^\.\//, '')
    .replace(/\?.*$/, '')

const inside = (dir: string, file: string) => file.startsWith(path.join(dir, path.sep))

/**
 * The map file of `bundle` (a path under `dir`): the one its `sourceMappingURL` comment names
 * (Turbopack names maps apart from their bundles), else `<bundle>.map`; never outside `dir`.
 */
function mapFileOf(dir: string, bundle: string): string | undefined {
  const js = path.join(dir, bundle)
  if (!inside(dir, js)) return undefined
  let named: string | undefined
  try {
    const size = statSync(js).size
    const tail = Buffer.alloc(Math.min(size, 512))
    const fd = openSync(js, 'r')
    try {
      readSync(fd, tail, 0, tail.length, size - tail.length)
    } finally {
      closeSync(fd)
    }
    named = /\/\/# sourceMappingURL=([\w\-.]+\.map)\s*$/.exec(tail.toString('utf8'))?.[1]
  } catch {
    return undefined // not a bundle of this build
  }
  const file = named ? path.join(path.dirname(js), named) : `${js}.map`
  return inside(dir, file) ? file : undefined
}

/**
 * Maps stack frames of the app's production bundles back to their source files, lines and code,
 * from the build's source maps in `dir` (`.next/static`). Bundle names are content hashes, so a
 * map found under a frame's bundle name is that bundle's map; frames of other builds, of other
 * origins' scripts, or without a map stay as they came. Without `dir` it changes nothing.
 */
export function createSymbolicator(dir: string | undefined) {
  const maps = new Map<string, SourceMapConsumer | null>()

  function consumerFor(bundle: string): SourceMapConsumer | null {
    if (maps.has(bundle)) {
      const cached = maps.get(bundle) ?? null
      maps.delete(bundle)
      maps.set(bundle, cached)
      return cached
    }
    let consumer: SourceMapConsumer | null = null
    try {
      const file = mapFileOf(dir!, bundle)
      if (file && statSync(file).size <= maxMapBytes) {
        consumer = new SourceMapConsumer(JSON.parse(readFileSync(file, 'utf8')) as RawSourceMap)
      }
    } catch {
      consumer = null // no map for this bundle (another build, or maps not emitted)
    }
    maps.set(bundle, consumer)
    if (maps.size > cachedMaps) maps.delete(maps.keys().next().value!)
    return consumer
  }

  function mapFrame(frame: Frame): Frame {
    const bundle = frame.filename && bundlePath(frame.filename)
    if (!bundle || !frame.lineno || !frame.colno) return frame
    const consumer = consumerFor(bundle)
    const original = consumer?.originalPositionFor({ line: frame.lineno, column: frame.colno - 1 })
    if (!consumer || !original?.source || original.line === null) return frame
    const file = sourcePath(original.source)
    const code = consumer.sourceContentFor(original.source, true)?.split('\n')[original.line - 1]
    return {
      ...frame,
      filename: file,
      abs_path: file,
      lineno: original.line,
      colno: original.column === null ? undefined : original.column + 1,
      in_app: !/(^|\/)node_modules\//.test(file),
      ...(code === undefined ? {} : { context_line: code.trim().slice(0, maxContextLine) }),
      raw: { filename: frame.filename, lineno: frame.lineno, colno: frame.colno },
    }
  }

  return {
    /** The event with its exception frames mapped where a map is found (a new object). */
    symbolicate<E extends EventWithFrames>(event: E): E {
      if (!dir || !event.exception?.values) return event
      return {
        ...event,
        exception: {
          ...event.exception,
          values: event.exception.values.map((value) =>
            value.stacktrace?.frames
              ? {
                  ...value,
                  stacktrace: {
                    ...value.stacktrace,
                    frames: value.stacktrace.frames.map(mapFrame),
                  },
                }
              : value,
          ),
        },
      }
    },
  }
}

export type Symbolicator = ReturnType<typeof createSymbolicator>
