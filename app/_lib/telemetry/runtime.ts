import {
  configureTelemetry,
  observeInference,
  throwWorkerTestError,
} from '../../../workers/inference-client'
import { configureImportTelemetry } from '../../../workers/import-client'
import { configureTransformTelemetry } from '../../../workers/transform-client'
import { TelemetryTestError } from '../../../workers/telemetry/config'
import {
  clearOfflineQueue,
  configureSentry,
  sentryConfigured,
} from '../../../workers/telemetry/sentry'
import { createInferenceAggregate, type InferenceBatch } from './aggregate'
import {
  environment,
  getOrCreateInstallId,
  inferenceUrl,
  readTelemetrySettings,
  release,
  reportsToThisServer,
  subscribeTelemetrySettings,
  telemetryConfig,
} from './settings'

/** How often collected inference figures are sent while the page is open. */
const flushIntervalMs = 60_000

/**
 * Follows the telemetry settings for this page: starts or stops error reporting in the page and
 * the analysis workers, and sends inference figures to this server while reports go here.
 * Returns the function that stops following them.
 */
export function startTelemetry(): () => void {
  let reporting = false
  let stopFigures: (() => void) | undefined

  const apply = () => {
    const settings = readTelemetrySettings()
    const config = settings.enabled
      ? telemetryConfig(settings, location, getOrCreateInstallId())
      : null
    configureSentry(config, 'page').catch((error: unknown) =>
      console.warn('Could not start error reporting', error),
    )
    configureTelemetry(config)
    configureImportTelemetry(config)
    configureTransformTelemetry(config)
    // Reports queued offline must not leave after the user opted out.
    if (reporting && !config) void clearOfflineQueue()
    reporting = config !== null
    const figures = reporting && reportsToThisServer(settings)
    if (figures && !stopFigures) stopFigures = sendInferenceFigures()
    if (!figures && stopFigures) {
      stopFigures()
      stopFigures = undefined
    }
  }

  apply()
  const unsubscribe = subscribeTelemetrySettings(apply)
  return () => {
    unsubscribe()
    stopFigures?.()
  }
}

/**
 * Collects inference figures and posts them every minute, and with `sendBeacon` when the page is
 * hidden or left. A failed post keeps them for the next one. Returns the stop function, which
 * drops whatever was not sent.
 */
function sendInferenceFigures(): () => void {
  const aggregate = createInferenceAggregate()
  const unobserve = observeInference(aggregate.record)
  const labels = { release, environment }

  const post = async () => {
    const batch = aggregate.take(labels)
    if (!batch) return
    try {
      const response = await fetch(inferenceUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      })
      // 400/403/413 will not get better by sending the same figures again.
      if (response.status === 429 || response.status >= 500) aggregate.putBack(batch)
    } catch {
      aggregate.putBack(batch)
    }
  }

  // sendBeacon outlives the page; it sends text/plain, which the gateway accepts.
  const beacon = () => {
    const batch: InferenceBatch | undefined = aggregate.take(labels)
    if (batch && !navigator.sendBeacon(inferenceUrl, JSON.stringify(batch))) {
      aggregate.putBack(batch)
    }
  }
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') beacon()
  }

  const timer = setInterval(() => void post(), flushIntervalMs)
  addEventListener('pagehide', beacon)
  document.addEventListener('visibilitychange', onVisibility)
  return () => {
    unobserve()
    clearInterval(timer)
    removeEventListener('pagehide', beacon)
    document.removeEventListener('visibilitychange', onVisibility)
  }
}

let testErrors = 0

/**
 * Throws an uncaught TelemetryTestError in the page and one in an analysis worker, once error
 * reporting runs in both, so an admin can see reports arrive. Resolves when both are thrown.
 */
export async function sendTestErrors(): Promise<void> {
  const note = `#${++testErrors}`
  await sentryConfigured()
  setTimeout(() => {
    throw new TelemetryTestError(
      `Test error from the page (${note}). Reports never carry file names such as holiday-photo.jpg.`,
    )
  })
  await throwWorkerTestError(AbortSignal.timeout(30_000), note)
}
