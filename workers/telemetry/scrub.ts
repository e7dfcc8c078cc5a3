import type { Breadcrumb, Event, Exception, StackFrame } from '@sentry/browser'

// Error reports must never carry what a user put into the app: image and document names, text
// read from images (OCR), tags, places, results. Everything here is pure, runs before an event
// or breadcrumb leaves the page or a worker, and keeps only what names code, not content.
//
// Honest limit: prose in an error message that is neither quoted nor a file name, URL or token
// (say, OCR text pasted into a message by a bug) is only cut to `maxTextLength`.

/** Longest scrubbed message kept, in characters; anything past it is replaced. */
export const maxTextLength = 200

const fileExtensions =
  'jpe?g|jfif|png|gif|webp|avif|heic|heif|bmp|tiff?|svg|ico|raw|dng|cr2|cr3|nef|arw|orf|rw2|' +
  'pdf|docx?|xlsx?|pptx?|odt|ods|odp|rtf|txt|md|csv|tsv|json|xml|html?|zip|7z|rar|tar|gz|' +
  'mp4|mov|m4v|webm|mkv|avi|mp3|m4a|wav|ogg|flac|eml|msg|pages|numbers|key'

const fileName = new RegExp(`[^\\s/\\\\:'"\`<>()[\\]{}]+\\.(?:${fileExtensions})\\b`, 'gi')
const fileSegment = new RegExp(`\\.(?:${fileExtensions})$`, 'i')
const dataUrl = /\bdata:[^\s'"`]*/gi
const blobUrl = /\bblob:[^\s'"`]+/gi
const fileUrl = /\bfile:\/\/[^\s'"`]*/gi
const webUrl = /\bhttps?:\/\/[^\s'"`<>]+/gi
const email = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g
const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi
const longHex = /\b[0-9a-f]{16,}\b/gi
const longDigits = /\b\d{6,}\b/g
// Base64, tokens and other long unbroken runs: ids or encoded content, never code names.
const longToken = /[A-Za-z0-9+/_=-]{24,}/g
// Double quotes, backticks and typographic quotes pair up anywhere; a single quote only opens
// after a space or bracket and closes before one, so "the model's file couldn't load" survives.
const quoted = [
  /"[^"\n]*"/g,
  /`[^`\n]*`/g,
  /“[^”\n]*”/g,
  /‘[^’\n]*’/g,
  /«[^»\n]*»/g,
  /„[^“”\n]*[“”]/g,
  /(^|[\s([{:=,])'[^'\n]*'(?=$|[\s)\]}.,;:!?])/g,
]

/**
 * A message with everything that could be user content replaced by placeholders: quoted text,
 * file names, blob:/data:/file: URLs, e-mail addresses, ids and long tokens; web URLs lose their
 * query, fragment and id-like path segments. Cut to `maxTextLength`.
 */
export function scrubText(text: string): string {
  let out = text
    .replace(dataUrl, '<data-url>')
    .replace(blobUrl, '<blob-url>')
    .replace(fileUrl, '<file-url>')
    .replace(webUrl, (url) => scrubUrl(url))
  for (const pattern of quoted) {
    out = out.replace(pattern, (match, before?: string) =>
      typeof before === 'string' ? `${before}'<text>'` : `${match[0]}<text>${match.at(-1)}`,
    )
  }
  out = out
    .replace(email, '<email>')
    .replace(fileName, '<file>')
    .replace(uuid, '<id>')
    .replace(longHex, '<id>')
    .replace(longDigits, '<n>')
    // A scrubbed URL's own path stays as it is; other long runs are tokens.
    .replace(longToken, (token, offset: number, whole: string) =>
      /:\/\/\S*$/.test(whole.slice(0, offset)) ? token : '<token>',
    )
  return out.length > maxTextLength ? `${out.slice(0, maxTextLength)}…<truncated>` : out
}

const idSegment = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^[0-9a-f]{12,}$/i,
  /^\d+$/,
  // base64/base64url of 16+ characters with at least one digit: ids and tokens, not words.
  /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}={0,2}$/,
]

const scrubSegment = (segment: string): string => {
  if (segment === '') return segment
  if (segment.includes('%') || idSegment.some((pattern) => pattern.test(segment))) return ':id'
  if (fileSegment.test(segment)) return ':file'
  return segment
}

/**
 * A URL without its query, fragment and credentials, with id-like path segments (uuids, long
 * hex, digits, base64-ish) as `:id` and file names as `:file`. blob: and data: URLs become
 * placeholders. Relative URLs stay relative.
 */
export function scrubUrl(url: string): string {
  const trimmed = url.trim()
  if (/^data:/i.test(trimmed)) return '<data-url>'
  if (/^blob:/i.test(trimmed)) return '<blob-url>'
  if (/^file:/i.test(trimmed)) return '<file-url>'
  const match = /^([a-z][a-z\d+.-]*:\/\/)?([^/?#]*)([^?#]*)/i.exec(trimmed)
  if (!match) return ''
  const [, scheme = '', authority = '', path = ''] = match
  // Credentials before the host ("user:secret@host") are never kept.
  const host = scheme ? authority.replace(/^.*@/, '') : authority
  const scrubbedPath = path.split('/').map(scrubSegment).join('/')
  if (scheme) return `${scheme}${host}${scrubbedPath}`
  // Relative: `authority` holds the first path segment.
  return `${scrubSegment(host)}${scrubbedPath}`
}

/** A code location without query or fragment (bundlers put build ids and worker config there). */
const scrubFrameFile = (file: string | undefined): string | undefined =>
  file === undefined
    ? undefined
    : /^(blob|data|file):/i.test(file)
      ? scrubUrl(file)
      : file.replace(/[?#].*$/, '')

const scrubFrame = (frame: StackFrame): StackFrame => ({
  filename: scrubFrameFile(frame.filename),
  abs_path: scrubFrameFile(frame.abs_path),
  module: frame.module,
  function: frame.function,
  lineno: frame.lineno,
  colno: frame.colno,
  in_app: frame.in_app,
  platform: frame.platform,
  instruction_addr: frame.instruction_addr,
  addr_mode: frame.addr_mode,
  debug_id: frame.debug_id,
})

const scrubException = (exception: Exception): Exception => ({
  type: exception.type?.slice(0, 100),
  value: exception.value === undefined ? undefined : scrubText(exception.value),
  module: exception.module,
  mechanism: exception.mechanism && {
    type: exception.mechanism.type,
    handled: exception.mechanism.handled,
    synthetic: exception.mechanism.synthetic,
    exception_id: exception.mechanism.exception_id,
    parent_id: exception.mechanism.parent_id,
    is_exception_group: exception.mechanism.is_exception_group,
    source: exception.mechanism.source,
  },
  stacktrace: exception.stacktrace && {
    frames: exception.stacktrace.frames?.map(scrubFrame),
  },
})

/** Breadcrumb data worth keeping: HTTP method and status, and URLs (scrubbed). */
const scrubBreadcrumbData = (data: Breadcrumb['data']): Breadcrumb['data'] => {
  if (!data) return undefined
  const out: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(data)) {
    if (key === 'url' || key === 'from' || key === 'to') {
      if (typeof value === 'string') out[key] = scrubUrl(value)
    } else if (key === 'method' && typeof value === 'string') {
      out[key] = value.slice(0, 10)
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value
    }
  }
  return out
}

/**
 * A breadcrumb safe to send, or null to drop it. Console breadcrumbs are dropped: a log line may
 * hold OCR text or file names. DOM selectors keep tag and class names but lose quoted attributes.
 */
export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb | null {
  if (breadcrumb.category === 'console') return null
  return {
    type: breadcrumb.type,
    level: breadcrumb.level,
    event_id: breadcrumb.event_id,
    category: breadcrumb.category,
    message: breadcrumb.message === undefined ? undefined : scrubText(breadcrumb.message),
    data: scrubBreadcrumbData(breadcrumb.data),
    timestamp: breadcrumb.timestamp,
  }
}

/** Device contexts worth keeping; others (culture, worker, trace, anything custom) are dropped. */
const keptContexts = ['browser', 'os', 'device', 'runtime'] as const

/**
 * An error event reduced to what names code and device: exception types, scrubbed messages and
 * stack frames, scrubbed URLs and breadcrumbs, release, environment, tags, browser/os/device/
 * runtime contexts and the anonymous install id as `user.id`. No `extra`, no other user fields,
 * no request data but the scrubbed page URL and the User-Agent.
 */
export function scrub<E extends Event>(event: E): E {
  const contexts: NonNullable<Event['contexts']> = {}
  for (const name of keptContexts) {
    const context = event.contexts?.[name]
    if (context) contexts[name] = context
  }
  const userAgent = event.request?.headers?.['User-Agent'] ?? event.request?.headers?.['user-agent']
  const breadcrumbs = event.breadcrumbs
    ?.map(scrubBreadcrumb)
    .filter((crumb): crumb is Breadcrumb => crumb !== null)
  const scrubbed: Event = {
    event_id: event.event_id,
    type: event.type,
    timestamp: event.timestamp,
    level: event.level,
    platform: event.platform,
    logger: event.logger,
    release: event.release,
    dist: event.dist,
    environment: event.environment,
    sdk: event.sdk,
    message: event.message === undefined ? undefined : scrubText(event.message),
    logentry: event.logentry && {
      message: event.logentry.message === undefined ? undefined : scrubText(event.logentry.message),
    },
    transaction: event.transaction === undefined ? undefined : scrubUrl(event.transaction),
    exception: event.exception && { values: event.exception.values?.map(scrubException) },
    breadcrumbs,
    contexts,
    tags: event.tags,
    fingerprint: event.fingerprint,
    user: typeof event.user?.id === 'string' ? { id: event.user.id } : undefined,
    request: event.request && {
      url: event.request.url === undefined ? undefined : scrubUrl(event.request.url),
      headers: userAgent ? { 'User-Agent': userAgent } : undefined,
    },
    debug_meta: event.debug_meta,
    sdkProcessingMetadata: event.sdkProcessingMetadata,
  }
  for (const key of Object.keys(scrubbed) as (keyof Event)[]) {
    if (scrubbed[key] === undefined) delete scrubbed[key]
  }
  return scrubbed as E
}
