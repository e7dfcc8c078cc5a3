import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { ApiError } from '../errors'
import { decodeBody, dsnKey, EnvelopeError, parseEnvelope } from '../telemetry/envelope'
import { groupEvent } from '../telemetry/fingerprint'
import type { Symbolicator } from '../telemetry/symbolicate'
import type { KeyLimit } from '../telemetry/key-limit'
import type { GatewayEnv } from '../types'
import { jsonResponse, problemResponse } from './schemas'

const envelopeBody = {
  body: {
    content: {
      'application/x-sentry-envelope': { schema: z.string().openapi({ format: 'binary' }) },
      'text/plain': { schema: z.string() },
    },
    required: true,
    description: 'A Sentry envelope, plain or gzip (Content-Encoding: gzip)',
  },
}

const responses = {
  200: jsonResponse(z.object({ id: z.string().optional() }), 'Accepted'),
  400: problemResponse('Not a well-formed envelope'),
  403: problemResponse('Unknown DSN key'),
  413: problemResponse('The body, or what it inflates to, is too large'),
  429: problemResponse('Over the per-key limit; see Retry-After'),
}

const tunnel = createRoute({
  method: 'post',
  tags: ['Telemetry'],
  path: '/telemetry/envelope',
  summary: 'Error telemetry from the app (the Sentry SDK `tunnel`)',
  description:
    'The DSN inside the envelope header names the key. Only error events are stored, grouped into ' +
    'issues; sessions and client reports are counted and dropped.',
  request: envelopeBody,
  responses,
})

const direct = createRoute({
  method: 'post',
  tags: ['Telemetry'],
  path: '/{projectId}/envelope/',
  summary: 'The Sentry envelope endpoint, for SDKs given a DSN that points here',
  request: {
    params: z.object({
      projectId: z
        .string()
        .regex(/^\d+$/)
        .openapi({ param: { name: 'projectId', in: 'path' } }),
    }),
    ...envelopeBody,
  },
  responses,
})

/** Envelope ingest compatible with the real Sentry SDKs (browser and Node). */
export const telemetry = (keyLimit: KeyLimit, symbolicator: Symbolicator) => {
  const ingest = async (c: Context<GatewayEnv>) => {
    const { config, store, metrics, log } = c.var
    const raw = new Uint8Array(await c.req.arrayBuffer())
    let envelope
    try {
      const bytes = decodeBody(
        raw,
        c.req.header('content-encoding'),
        config.telemetry.maxInflatedBytes,
      )
      envelope = parseEnvelope(bytes)
    } catch (error) {
      if (error instanceof EnvelopeError) {
        const status = /inflates past/.test(error.message) ? 413 : 400
        throw new ApiError(status, 'bad-envelope', error.message)
      }
      throw error
    }
    const key =
      c.req.query('sentry_key') ??
      /sentry_key=([^,\s]+)/.exec(c.req.header('x-sentry-auth') ?? '')?.[1] ??
      dsnKey(envelope.header.dsn)
    await keyLimit.admit(c, key)
    let stored = 0
    for (const item of envelope.items) {
      const type = item.header.type ?? 'unknown'
      metrics.telemetryItems.inc({ type })
      if (type !== 'event') continue
      const text = new TextDecoder().decode(item.payload)
      let event: Record<string, unknown>
      try {
        event = JSON.parse(text) as Record<string, unknown>
      } catch {
        throw new ApiError(400, 'bad-envelope', 'An event item is not JSON')
      }
      // Stored with its frames mapped to the source, so issues and traces survive rebuilds.
      const mapped = symbolicator.symbolicate(event)
      const eventId = String(event.event_id ?? envelope.header.event_id ?? crypto.randomUUID())
      const user = event.user as { id?: unknown } | undefined
      await store.telemetry.record(groupEvent(mapped), {
        eventId,
        level: typeof event.level === 'string' ? event.level : undefined,
        release: typeof event.release === 'string' ? event.release : undefined,
        environment: typeof event.environment === 'string' ? event.environment : undefined,
        userKey: user?.id === undefined ? undefined : String(user.id),
        payload: mapped === event ? text : JSON.stringify(mapped),
      })
      stored++
    }
    if (stored > 0) log.info({ requestId: c.var.requestId, events: stored }, 'telemetry stored')
    return c.json({ id: envelope.header.event_id }, 200)
  }

  return new OpenAPIHono<GatewayEnv>()
    .openapi(tunnel, (c) => ingest(c) as never)
    .openapi(direct, (c) => ingest(c) as never)
}
