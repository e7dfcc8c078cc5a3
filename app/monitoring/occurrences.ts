/** What the Errors tab shows of one stored event (a Sentry event payload, already scrubbed). */
export interface Occurrence {
  eventId: string
  receivedAt: number
  release?: string
  environment?: string
  /** `page` or `worker` (the app's `context` tag). */
  where?: string
  browser?: string
  os?: string
}

interface Payload {
  release?: unknown
  environment?: unknown
  tags?: Record<string, unknown>
  contexts?: {
    browser?: { name?: unknown; version?: unknown }
    os?: { name?: unknown; version?: unknown }
  }
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)

const nameAndVersion = (context?: { name?: unknown; version?: unknown }) => {
  const name = text(context?.name)
  const version = text(context?.version)
  return name && version ? `${name} ${version}` : name
}

/** One stored event as a row of the occurrences table; fields the event lacks stay empty. */
export function occurrence(event: {
  eventId: string
  receivedAt: number
  payload: unknown
}): Occurrence {
  const payload = (
    typeof event.payload === 'object' && event.payload ? event.payload : {}
  ) as Payload
  return {
    eventId: event.eventId,
    receivedAt: event.receivedAt,
    release: text(payload.release),
    environment: text(payload.environment),
    where: text(payload.tags?.context),
    browser: nameAndVersion(payload.contexts?.browser),
    os: nameAndVersion(payload.contexts?.os),
  }
}
