import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { loginLimits } from './auth/rate-limits'
import { loadSession, requireAdmin, requireUser } from './auth/session'
import type { Staging } from './blobs/staging'
import type { BlobStore } from './blobs/types'
import type { Store } from './db'
import type { Config } from './env'
import { ApiError, DatabaseBusyError, type FieldError, type Problem } from './errors'
import { createKeyedLock } from './lib/keyed-lock'
import type { Logger } from './lib/log'
import { createHousekeeping } from './maintenance'
import { createAlerting } from './monitoring/alerting'
import { createMetrics } from './monitoring/metrics'
import { mayReadMetrics } from './monitoring/metrics-access'
import { createSampler } from './monitoring/sampler'
import { account } from './routes/account'
import { admin } from './routes/admin'
import { alerts } from './routes/alerts'
import { auth } from './routes/auth'
import { blobs } from './routes/blobs'
import { docs } from './routes/docs'
import { health } from './routes/health'
import { inference, maxInferenceBodyBytes } from './routes/inference'
import { monitoring } from './routes/monitoring'
import { records } from './routes/records'
import { sync } from './routes/sync'
import { telemetry } from './routes/telemetry'
import { createKeyLimit } from './telemetry/key-limit'
import { createSymbolicator } from './telemetry/symbolicate'
import type { GatewayEnv } from './types'

/** What the gateway runs on; `server/index.ts` builds it from the configuration. */
export interface GatewayDeps {
  store: Store
  config: Config
  blobStore: BlobStore
  staging: Staging
  log: Logger
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

function problem(
  c: Context<GatewayEnv>,
  status: ContentfulStatusCode,
  type: string,
  detail: string,
  extra: { errors?: FieldError[]; retryAfterS?: number } = {},
) {
  c.var.metrics?.errors.inc({ type, status: String(status) })
  const body: Problem = {
    type: `/api/problems/${type}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    requestId: c.var.requestId ?? '',
    ...(extra.errors ? { errors: extra.errors } : {}),
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' }
  if (extra.retryAfterS !== undefined) headers['Retry-After'] = String(extra.retryAfterS)
  return c.body(JSON.stringify(body), status, headers)
}

const isEnvelopePath = (path: string) => /^\/api\/(telemetry|\d+)\/envelope\/?$/.test(path)
const isInferencePath = (path: string) => path === '/api/telemetry/inference'
/** /api/sync and /api/blobs answers that count as sync failures (401 and 404 do not). */
const isSyncFailure = (path: string, status: number) =>
  (status >= 500 || status === 400 || status === 413 || status === 422) &&
  /^\/api\/(sync|blobs)(\/|$)/.test(path)

const tooLarge = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'body-too-large', `The request body is larger than ${maxBytes} bytes`)
    },
  })

/**
 * The gateway: accounts, records with sync, files, health and API docs, all under `/api`.
 *
 * @example
 * const db = await Db.open({ url: 'file:data/sightline.db' })
 * await migrate(db)
 * serve({ fetch: createApp({ store: createStore(db), config, blobStore, staging, log }).fetch })
 */
export function createApp(deps: GatewayDeps) {
  const { store, config, log } = deps
  const withLock = createKeyedLock()
  const housekeeping = createHousekeeping({ ...deps, withLock })
  const [byIp, byAccount] = loginLimits(config)
  const metrics = createMetrics()
  const keyLimit = createKeyLimit(config.telemetry.perMinute)
  const symbolicator = createSymbolicator(config.telemetry.sourceMapsDir)
  const sampler = createSampler({ metrics, store })
  store.db.observe = (op, seconds, outcome) => metrics.dbDuration.observe({ op, outcome }, seconds)
  const alerting = createAlerting({
    ...deps,
    metrics,
    beforeEvaluate: async (now) => void (await sampler.flush(now)),
  })

  const root = new OpenAPIHono<GatewayEnv>({
    defaultHook: (result, c) => {
      if (result.success) return
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }))
      return problem(c, 400, 'validation', 'The request is not valid', { errors })
    },
  })
  root.get('/metrics', async (c) => {
    if (!mayReadMetrics(c, config)) {
      return c.text('Forbidden\n', 403, { 'WWW-Authenticate': 'Bearer' })
    }
    return c.body(await metrics.registry.metrics(), 200, {
      'Content-Type': metrics.registry.contentType,
    })
  })
  const app = root.basePath('/api')

  app.use(requestId({ headerName: 'X-Request-Id' }))
  app.use(async (c, next) => {
    c.set('store', store)
    c.set('config', config)
    c.set('blobStore', deps.blobStore)
    c.set('staging', deps.staging)
    c.set('log', log)
    c.set('metrics', metrics)
    await next()
  })
  app.use(metrics.httpMetrics)
  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    // The access log: one line per request, at debug for health checks; and failed sync calls.
    const quiet = c.req.path === '/api/health' || c.req.path === '/api/ready'
    log[quiet ? 'debug' : 'info'](
      {
        requestId: c.var.requestId,
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: c.var.user?.id,
      },
      'request',
    )
    if (isSyncFailure(c.req.path, c.res.status)) {
      metrics.syncFailures.inc({ status: String(c.res.status) })
    }
  })
  // CORS only for requests that carry an Origin: Hono's cors middleware takes the Node adapter
  // off its fast path (bench/gateway), and same-origin GETs carry none.
  const allowCors = cors({
    origin: (origin) => (config.corsOrigins.includes(origin) ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Content-Type'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  })
  app.use(async (c, next) => {
    if (c.req.header('origin')) return allowCors(c, next)
    await next()
    if (config.corsOrigins.length > 0) c.res.headers.append('Vary', 'Origin')
  })
  const checkOrigin = csrf({
    origin: (origin, c) =>
      origin === new URL(c.req.url).origin || config.corsOrigins.includes(origin),
  })
  // Envelopes and inference batches are authenticated by their DSN key, not by the session
  // cookie: no CSRF to guard.
  app.use((c, next) =>
    isEnvelopePath(c.req.path) || isInferencePath(c.req.path) ? next() : checkOrigin(c, next),
  )
  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin' }))
  const jsonLimit = tooLarge(config.maxJsonBytes)
  const chunkLimit = tooLarge(config.maxChunkBytes)
  const envelopeLimit = tooLarge(config.telemetry.maxBodyBytes)
  const inferenceLimit = tooLarge(maxInferenceBodyBytes)
  app.use(async (c, next) => {
    // A GET or HEAD with neither header has no body; skipping the limit keeps them on the
    // adapter's fast path (reading c.req.raw.body builds a full Request).
    const bodiless = c.req.method === 'GET' || c.req.method === 'HEAD'
    if (bodiless && !c.req.header('content-length') && !c.req.header('transfer-encoding')) {
      return next()
    }
    const chunkRoute = c.req.method === 'PUT' && c.req.path.startsWith('/api/blobs/uploads/')
    const limit = chunkRoute
      ? chunkLimit
      : isEnvelopePath(c.req.path)
        ? envelopeLimit
        : isInferencePath(c.req.path)
          ? inferenceLimit
          : jsonLimit
    return limit(c, next)
  })
  const withSession = loadSession(store, config.sessionMs)
  const sessionless = new Set(['/api/health', '/api/ready', '/api/openapi.json'])
  app.use(async (c, next) =>
    sessionless.has(c.req.path) || c.req.path.startsWith('/api/docs')
      ? next()
      : withSession(c, next),
  )
  app.use('/auth/sign-in', byIp, byAccount)
  app.use('/auth/sign-up', byIp, byAccount)
  for (const path of ['/account/*', '/account', '/records/*', '/sync/*', '/blobs/*']) {
    app.use(path, requireUser)
  }
  app.use('/admin/*', requireUser, requireAdmin)
  app.use('/account', async (c, next) => {
    await next()
    if (c.req.method === 'DELETE' && c.res.status === 204) {
      void housekeeping
        .collectOrphans()
        .catch((error) => log.error({ err: error }, 'collect orphans'))
    }
  })

  const routes = app
    .route('/', health())
    .route('/auth', auth())
    .route('/account', account())
    .route('/admin', admin())
    .route('/admin', monitoring(sampler))
    .route('/admin', alerts(alerting))
    .route('/records', records())
    .route('/sync', sync())
    .route('/blobs', blobs(withLock))
    .route('/', telemetry(keyLimit, symbolicator))
    .route('/', inference(keyLimit))

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sightline gateway',
      version: '1',
      description:
        'Accounts and optional sync for Sightline. Authenticate with the `sightline_session` cookie ' +
        'set by sign-in; errors are `application/problem+json`.',
    },
  })
  app.route('/docs', docs())

  app.notFound((c) => problem(c, 404, 'not-found', `No route for ${c.req.method} ${c.req.path}`))
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return problem(c, error.status, error.type, error.message, error.extra)
    }
    if (error instanceof DatabaseBusyError) {
      log.warn({ requestId: c.var.requestId }, 'database busy')
      return problem(c, 503, 'busy', 'The server is busy; try again shortly', { retryAfterS: 1 })
    }
    if (error instanceof HTTPException && error.status < 500) {
      return problem(
        c,
        error.status as ContentfulStatusCode,
        'http',
        error.message || 'Request refused',
      )
    }
    log.error({ err: error, requestId: c.var.requestId, path: c.req.path }, 'unhandled error')
    return problem(
      c,
      500,
      'internal',
      'Something went wrong on the server. The request id helps us find it.',
    )
  })

  return Object.assign(routes, { housekeeping, metrics, sampler, alerting })
}

/** The gateway's routes and their types; the app builds its typed client from this. */
export type AppType = ReturnType<typeof createApp>
