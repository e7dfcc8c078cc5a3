import type * as SentryModule from '@sentry/browser'
import type { TelemetryConfig, TelemetryContext } from './config'
import { scrub, scrubBreadcrumb } from './scrub'

/** IndexedDB database where unsent envelopes wait while offline; the page and workers share it. */
const offlineDbName = 'sightline-telemetry'
const offlineStoreName = 'queue'

/**
 * Default integrations left out. BrowserSession sends release-health sessions, which carry
 * `ip_address: "{{auto}}"`; Console turns log lines (OCR text, file names) into breadcrumbs;
 * CultureContext (locale, time zone) describes the person rather than the device.
 */
const leftOut = new Set(['BrowserSession', 'Console', 'CultureContext'])

let sentry: Promise<typeof SentryModule> | undefined
/** The config the running client was started with (JSON), if one runs. */
let running: string | undefined
let line: Promise<unknown> = Promise.resolve()

// Loaded only once someone opts in: with telemetry off, no SDK code runs at all.
const getOrLoadSentry = () => (sentry ??= import('@sentry/browser'))

/**
 * Starts error reporting in this realm (the page or a worker) with `config`, restarts it when the
 * config changed, or stops it with `null`. Calls run one after another, in order.
 */
export function configureSentry(
  config: TelemetryConfig | null,
  context: TelemetryContext,
): Promise<void> {
  const next = line.then(() => apply(config, context))
  // A failed start must not block the next call.
  line = next.catch(() => {})
  return next
}

async function apply(config: TelemetryConfig | null, context: TelemetryContext): Promise<void> {
  const wanted = config ? JSON.stringify(config) : undefined
  if (wanted === running) return
  if (!config && !sentry) return
  const Sentry = await getOrLoadSentry()
  if (running !== undefined) {
    // A closed client drops whatever is captured after; its global handlers check the client.
    await Sentry.getClient()?.close(2_000)
    for (const scope of [Sentry.getCurrentScope(), Sentry.getIsolationScope()]) {
      scope.setUser(null).clearBreadcrumbs()
    }
    running = undefined
  }
  if (!config) return
  const offline = Sentry.makeBrowserOfflineTransport(Sentry.makeFetchTransport)
  Sentry.init({
    dsn: config.dsn,
    tunnel: config.tunnel,
    release: config.release,
    environment: config.environment,
    // SDK 11's successor of `sendDefaultPii: false`: no user fields, IP, cookies, headers,
    // query strings, bodies, frame variables or source lines (`infer_ip: "never"` for Relay).
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      stackFrameVariables: false,
      frameContextLines: 0,
    },
    sendClientReports: false,
    maxBreadcrumbs: 30,
    integrations: (defaults) => defaults.filter((integration) => !leftOut.has(integration.name)),
    transport: (options) =>
      offline({
        ...options,
        dbName: offlineDbName,
        storeName: offlineStoreName,
        // Envelopes queued offline in an earlier visit go out soon after start.
        flushAtStartup: true,
      }),
    beforeSend: (event) => scrub(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
    initialScope: { tags: { context }, user: { id: config.installId } },
  })
  running = wanted
}

/** Settles once every `configureSentry` call made so far has taken effect. */
export function sentryConfigured(): Promise<void> {
  return line.then(() => {})
}

/** Deletes envelopes still waiting to be sent (after the user opts out). */
export function clearOfflineQueue(): Promise<void> {
  if (!globalThis.indexedDB) return Promise.resolve()
  return new Promise((resolve) => {
    const request = indexedDB.open(offlineDbName)
    // Same shape as the SDK's own store, so it can open the database later.
    request.onupgradeneeded = () => request.result.createObjectStore(offlineStoreName)
    request.onerror = () => resolve()
    request.onsuccess = () => {
      const db = request.result
      try {
        const transaction = db.transaction(offlineStoreName, 'readwrite')
        transaction.objectStore(offlineStoreName).clear()
        transaction.oncomplete =
          transaction.onerror =
          transaction.onabort =
            () => {
              db.close()
              resolve()
            }
      } catch {
        // No store yet: nothing was ever queued.
        db.close()
        resolve()
      }
    }
  })
}
