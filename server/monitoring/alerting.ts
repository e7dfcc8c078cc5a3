import { hostname } from 'node:os'
import type { BlobStore } from '../blobs/types'
import type { Store } from '../db'
import { publicAlert, type Alert, type StoredAlert } from '../db/alerts'
import type { Config } from '../env'
import type { Logger } from '../lib/log'
import { evaluateRules, perInstance, ruleIds, type Facts, type RuleId } from './alert-rules'
import { inferenceBoundsMs, quantile } from './histogram'
import type { Metrics } from './metrics'
import { checkReadiness } from './readiness'
import { sendNotice } from './webhook'

const hourMs = 60 * 60 * 1000
const dayMs = 24 * hourMs

/**
 * Runs the alert rules: opens an alert when a condition starts, keeps one alert per rule and key
 * while it holds (no repeated notices), resolves it when it clears, and sends each change to the
 * webhook, retrying on the next run until the receiver takes it.
 */
export function createAlerting(deps: {
  store: Store
  blobStore: BlobStore
  config: Config
  log: Logger
  metrics?: Metrics
  /** Names this gateway in per-machine alerts (readiness, disk); the host name by default. */
  instance?: string
  /** Runs first, e.g. writing the current minute's figures. */
  beforeEvaluate?: (now: number) => Promise<void>
}) {
  const { store, config, log } = deps
  const instance = deps.instance ?? hostname()
  let evaluatedAt: number | undefined
  let last: Promise<unknown> = Promise.resolve()

  async function gather(now: number): Promise<Facts> {
    const windowMs = config.alerts.windowMs
    const from = now - windowMs
    const perWindow = (count: number) => (count * windowMs) / hourMs
    const [gateway, gatewayBefore, client, clientBefore] = await Promise.all([
      store.monitoring.gatewayWindow(from, now),
      store.monitoring.gatewayWindow(from - hourMs, from),
      store.monitoring.clientErrors(from, now),
      store.monitoring.clientErrors(from - hourMs, from),
    ])
    const [current, previousDay] = await Promise.all([
      store.monitoring.inferenceWindow(from, now),
      store.monitoring.inferenceWindow(from - dayMs, from),
    ])
    const figures = (row?: { count: number; failures: number; buckets: number[] }) => ({
      runs: row ? row.count - row.failures : 0,
      p95: row ? quantile(inferenceBoundsMs, row.buckets, 0.95) : undefined,
    })
    const keyOf = (row: { task: string; model: string; provider: string }) =>
      `${row.task}\u0000${row.model}\u0000${row.provider}`
    const baselines = new Map(previousDay.map((row) => [keyOf(row), row]))
    const readiness = await checkReadiness(deps)
    return {
      now,
      instance,
      errors: {
        current: gateway.serverErrors + client,
        baseline: perWindow(gatewayBefore.serverErrors + clientBefore),
      },
      syncFailures: {
        current: gateway.syncFailures,
        baseline: perWindow(gatewayBefore.syncFailures),
      },
      issues: await store.telemetry.activeSince(from),
      inference: current.map((row) => ({
        task: row.task,
        model: row.model,
        provider: row.provider,
        current: figures(row),
        baseline: figures(baselines.get(keyOf(row))),
      })),
      readiness,
      // Unreadable, the disk is the readiness rule's to report.
      freeBytes: readiness.freeBytes ?? Number.POSITIVE_INFINITY,
    }
  }

  async function deliver(now: number) {
    const url = config.alerts.webhookUrl
    for (const alert of await store.alerts.unsent()) {
      const due: ('firing' | 'resolved')[] = []
      if (!alert.sentFiring) due.push('firing')
      if (alert.resolvedAt !== null && !alert.sentResolved) due.push('resolved')
      for (const notice of due) {
        if (!(await store.alerts.claim(alert.id, notice))) continue
        // Without a webhook the app is the only receiver; a day-old notice is no longer news.
        const at = notice === 'firing' ? alert.startedAt : (alert.resolvedAt ?? now)
        if (!url || now - at >= dayMs) continue
        try {
          await sendNotice(url, notice, publicAlert(alert))
        } catch (error) {
          await store.alerts.release(alert.id, notice)
          log.warn({ err: error, alert: alert.id, notice }, 'alert webhook failed; will retry')
          return
        }
      }
    }
  }

  async function run(now: number) {
    await deps.beforeEvaluate?.(now)
    const open = await store.alerts.open()
    const firing = new Map<RuleId, Set<string>>(ruleIds.map((id) => [id, new Set<string>()]))
    for (const alert of open) firing.get(alert.rule as RuleId)?.add(alert.key)
    const conditions = evaluateRules(await gather(now), config.alerts, firing)
    const started: StoredAlert[] = []
    for (const rule of ruleIds) {
      for (const condition of conditions[rule]) {
        const existing = open.find((alert) => alert.rule === rule && alert.key === condition.key)
        if (existing) {
          await store.alerts.refresh(existing.id, condition.detail, condition.value, now)
          continue
        }
        const alert = await store.alerts.start({ rule, ...condition }, now)
        if (alert) started.push(alert)
      }
    }
    const resolved: StoredAlert[] = []
    for (const alert of open) {
      // Another gateway sharing the database watches its own disk and readiness.
      if (perInstance.has(alert.rule as RuleId) && alert.key !== instance) continue
      const holds = conditions[alert.rule as RuleId]?.some((c) => c.key === alert.key)
      if (holds) continue
      await store.alerts.resolve(alert.id, now)
      resolved.push({ ...alert, resolvedAt: now })
    }
    for (const alert of started) log.warn({ alert: publicAlert(alert) }, 'alert firing')
    for (const alert of resolved) log.info({ alert: publicAlert(alert) }, 'alert resolved')
    for (const rule of ruleIds) {
      const open = conditions[rule].length
      deps.metrics?.alertsFiring.set({ rule }, open)
    }
    evaluatedAt = now
    await deliver(now)
    return { started: started.map(publicAlert), resolved: resolved.map(publicAlert) }
  }

  return {
    /** Runs the rules once (never two runs at a time); returns the alerts that started and cleared. */
    evaluate(now = Date.now()): Promise<{ started: Alert[]; resolved: Alert[] }> {
      const next = last.then(
        () => run(now),
        () => run(now),
      )
      last = next
      return next
    },
    get evaluatedAt() {
      return evaluatedAt
    },
  }
}

export type Alerting = ReturnType<typeof createAlerting>
