import { createHash } from 'node:crypto'

interface Frame {
  filename?: string
  module?: string
  function?: string
  in_app?: boolean
  context_line?: string
}

interface EventPayload {
  message?: string | { formatted?: string; message?: string }
  level?: string
  exception?: { values?: { type?: string; value?: string; stacktrace?: { frames?: Frame[] } }[] }
}

/** How an error event is grouped into an issue, and how the issue is shown. */
export interface Grouping {
  fingerprint: string
  type: string
  title: string
  culprit?: string
}

/**
 * A frame's place in the code. A frame mapped to its source (symbolicate.ts) is its file and line
 * of code, which outlive rebuilds; an unmapped one is its file without origin, query or hash, and
 * its function name.
 */
const place = (frame: Frame) => {
  const file = (frame.module ?? frame.filename ?? '?')
    .replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, '')
    .replace(/[?#].*$/, '')
  return frame.context_line ? `${file}: ${frame.context_line}` : `${file}:${frame.function ?? '?'}`
}

/**
 * Groups an event by its exception type and its top three in-app frames (file and code or
 * function, not line numbers, which move with every build); events without an exception by its
 * message.
 */
export function groupEvent(event: EventPayload): Grouping {
  const exception = event.exception?.values?.at(-1)
  if (exception) {
    const type = exception.type ?? 'Error'
    const frames = exception.stacktrace?.frames ?? []
    const inApp = frames.filter((frame) => frame.in_app !== false)
    const top = (inApp.length > 0 ? inApp : frames).slice(-3).reverse().map(place)
    return {
      fingerprint: hash(['exception', type, ...top]),
      type,
      title: `${type}: ${exception.value ?? ''}`.slice(0, 200),
      culprit: top[0],
    }
  }
  const message =
    typeof event.message === 'string'
      ? event.message
      : (event.message?.message ?? event.message?.formatted ?? '(no message)')
  return { fingerprint: hash(['message', message]), type: 'Message', title: message.slice(0, 200) }
}

const hash = (parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex')
