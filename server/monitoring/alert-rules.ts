import type { AlertConfig } from '../env'
import type { Readiness } from './readiness'

export const ruleIds = [
  'error-rate',
  'new-error-type',
  'inference-p95',
  'readiness',
  'disk-space',
  'sync-failures',
] as const
export type RuleId = (typeof ruleIds)[number]

/** Rules whose conditions belong to one gateway; the others look at the shared database. */
export const perInstance: ReadonlySet<RuleId> = new Set(['readiness', 'disk-space'])

/** A condition that holds now; `key` tells apart conditions of one rule (an issue, a model). */
export interface Condition {
  key: string
  title: string
  detail: string
  value?: number
}

/** A count in the current window against the same-length share of the hour before it. */
export interface Rate {
  current: number
  baseline: number
}

/** What the rules look at, gathered from the database, the disk and the readiness checks. */
export interface Facts {
  now: number
  /** This gateway's name: readiness and disk are per machine when several share a database. */
  instance: string
  errors: Rate
  syncFailures: Rate
  /** Issues with events in the window. */
  issues: { id: number; type: string; title: string; firstSeen: number; events: number }[]
  inference: {
    task: string
    model: string
    provider: string
    current: { runs: number; p95?: number }
    baseline: { runs: number; p95?: number }
  }[]
  readiness: Readiness
  freeBytes: number
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`
const mib = (bytes: number) => `${Math.floor(bytes / 1024 / 1024)} MiB`
const round = (value: number) => Math.round(value * 10) / 10

/** The rules as the Monitoring page shows them, with their thresholds in words. */
export function describeRules(config: AlertConfig) {
  const window = minutes(config.windowMs)
  const rules: Record<RuleId, { name: string; description: string; threshold: string }> = {
    'error-rate': {
      name: 'Error rate above baseline',
      description: 'Errors reported by the app plus 5xx answers from the gateway.',
      threshold: `≥ ${config.errors.min} in ${window} and > ${config.errors.factor}× the hour before`,
    },
    'new-error-type': {
      name: 'New error type',
      description: 'An error issue seen for the first time; clears when it stops occurring.',
      threshold: `first seen in the last ${window}`,
    },
    'inference-p95': {
      name: 'Inference latency regression',
      description: 'p95 analysis time per task, model and provider, from opted-in devices.',
      threshold: `p95 > ${config.p95.factor}× the previous day's, ≥ ${config.p95.minRuns} runs in ${window} and that day`,
    },
    readiness: {
      name: 'Readiness failing',
      description: 'Database, migrations, file storage or disk check of /api/ready failing.',
      threshold: 'any check failing',
    },
    'disk-space': {
      name: 'Disk nearly full',
      description: 'Free space on the disk that holds the data folder.',
      threshold: `< ${mib(config.diskFreeBytes)} free`,
    },
    'sync-failures': {
      name: 'Sync failures spiking',
      description: 'Sync and file calls the gateway refused or failed (5xx, 400, 413, 422).',
      threshold: `≥ ${config.syncFailures.min} in ${window} and > ${config.syncFailures.factor}× the hour before`,
    },
  }
  return ruleIds.map((id) => ({ id, ...rules[id] }))
}

const spiking = (rate: Rate, limits: { min: number; factor: number }) =>
  rate.current >= limits.min && rate.current > limits.factor * rate.baseline

/**
 * Which conditions hold, per rule. `firing` holds the keys already firing: a new error type keeps
 * firing while it recurs, though it is no longer new.
 */
export function evaluateRules(
  facts: Facts,
  config: AlertConfig,
  firing: ReadonlyMap<RuleId, ReadonlySet<string>>,
): Record<RuleId, Condition[]> {
  const window = minutes(config.windowMs)
  const result: Record<RuleId, Condition[]> = {
    'error-rate': [],
    'new-error-type': [],
    'inference-p95': [],
    readiness: [],
    'disk-space': [],
    'sync-failures': [],
  }
  if (spiking(facts.errors, config.errors)) {
    result['error-rate'].push({
      key: '',
      title: 'Error rate above baseline',
      detail: `${facts.errors.current} errors in the last ${window}, against ${round(facts.errors.baseline)} in the hour before (per ${window})`,
      value: facts.errors.current,
    })
  }
  for (const issue of facts.issues) {
    const key = String(issue.id)
    const isNew = issue.firstSeen >= facts.now - config.windowMs
    if (!isNew && !firing.get('new-error-type')?.has(key)) continue
    result['new-error-type'].push({
      key,
      title: `New error type: ${issue.type}`,
      detail: `${issue.title} — ${issue.events} event${issue.events === 1 ? '' : 's'} in the last ${window}`,
      value: issue.events,
    })
  }
  for (const series of facts.inference) {
    const { current, baseline } = series
    if (current.runs < config.p95.minRuns || baseline.runs < config.p95.minRuns) continue
    if (current.p95 === undefined || baseline.p95 === undefined) continue
    if (current.p95 <= config.p95.factor * baseline.p95) continue
    result['inference-p95'].push({
      key: `${series.task}·${series.model}·${series.provider}`,
      title: `Slower ${series.task} on ${series.provider}`,
      detail: `${series.model}: p95 ${Math.round(current.p95)} ms over ${current.runs} runs in the last ${window}, against ${Math.round(baseline.p95)} ms the previous day`,
      value: current.p95,
    })
  }
  const failing = Object.entries(facts.readiness.checks).filter(([, check]) => !check.ok)
  if (failing.length > 0) {
    result.readiness.push({
      key: facts.instance,
      title: 'Readiness failing',
      detail: failing.map(([name, check]) => `${name}: ${check.detail ?? 'failing'}`).join('; '),
      value: failing.length,
    })
  }
  if (facts.freeBytes < config.diskFreeBytes) {
    result['disk-space'].push({
      key: facts.instance,
      title: 'Disk nearly full',
      detail: `${mib(facts.freeBytes)} free on the data disk (alert below ${mib(config.diskFreeBytes)})`,
      value: facts.freeBytes,
    })
  }
  if (spiking(facts.syncFailures, config.syncFailures)) {
    result['sync-failures'].push({
      key: '',
      title: 'Sync failures spiking',
      detail: `${facts.syncFailures.current} failed sync calls in the last ${window}, against ${round(facts.syncFailures.baseline)} in the hour before (per ${window})`,
      value: facts.syncFailures.current,
    })
  }
  return result
}
