import { loadConfig } from '../env'
import { describeRules, evaluateRules, ruleIds, type Facts, type RuleId } from './alert-rules'

const config = loadConfig({ SIGHTLINE_DATA_DIR: '/tmp' }).alerts
const now = Date.UTC(2026, 11, 5, 12)
const ready = {
  ok: true,
  checks: {
    database: { ok: true },
    migrations: { ok: true },
    blobStore: { ok: true },
    disk: { ok: true, detail: '9000 MiB free' },
  },
}
const calm: Facts = {
  now,
  instance: 'gateway-1',
  errors: { current: 0, baseline: 0 },
  syncFailures: { current: 0, baseline: 0 },
  issues: [],
  inference: [],
  readiness: ready,
  freeBytes: 100 * 1024 ** 3,
}
const none = new Map<RuleId, Set<string>>()
const fired = (facts: Partial<Facts>, firing = none) =>
  Object.fromEntries(
    Object.entries(evaluateRules({ ...calm, ...facts }, config, firing)).filter(
      ([, list]) => list.length > 0,
    ),
  )

describe('alert rules', () => {
  it('holds nothing on a calm server', () => {
    expect(fired({})).toEqual({})
  })

  it('fires on errors over both the minimum and the baseline multiple', () => {
    expect(fired({ errors: { current: 9, baseline: 0 } })).toEqual({})
    expect(fired({ errors: { current: 12, baseline: 5 } })).toEqual({})
    const alert = fired({ errors: { current: 16, baseline: 5 } })['error-rate']?.[0]
    expect(alert).toMatchObject({ key: '', value: 16 })
    expect(alert?.detail).toMatch(/16 errors in the last 5 min, against 5 /)
  })

  it('calls an issue new only within the window, but keeps a firing one while it recurs', () => {
    const issue = { id: 7, type: 'TypeError', title: 'boom', events: 2 }
    const old = { ...issue, firstSeen: now - 60 * 60_000 }
    expect(fired({ issues: [{ ...issue, firstSeen: now - 60_000 }] })['new-error-type']).toEqual([
      expect.objectContaining({ key: '7', title: 'New error type: TypeError' }),
    ])
    expect(fired({ issues: [old] })).toEqual({})
    const firing = new Map<RuleId, Set<string>>([['new-error-type', new Set(['7'])]])
    expect(fired({ issues: [old] }, firing)['new-error-type']).toHaveLength(1)
  })

  it('compares inference p95 with the previous day only with enough runs on both sides', () => {
    const series = {
      task: 'ocr',
      model: 'ppocr-4',
      provider: 'wasm',
      current: { runs: 30, p95: 900 },
      baseline: { runs: 400, p95: 300 },
    }
    expect(fired({ inference: [series] })['inference-p95']).toEqual([
      expect.objectContaining({ key: 'ocr·ppocr-4·wasm', value: 900 }),
    ])
    expect(fired({ inference: [{ ...series, current: { runs: 5, p95: 900 } }] })).toEqual({})
    expect(fired({ inference: [{ ...series, baseline: { runs: 0 } }] })).toEqual({})
    expect(fired({ inference: [{ ...series, current: { runs: 30, p95: 420 } }] })).toEqual({})
  })

  it('names the failing readiness checks', () => {
    const failing = {
      ...ready,
      ok: false,
      checks: { ...ready.checks, migrations: { ok: false, detail: 'not yet' } },
    }
    expect(fired({ readiness: failing }).readiness?.[0]?.detail).toBe('migrations: not yet')
  })

  it('fires below the free-space threshold', () => {
    expect(fired({ freeBytes: config.diskFreeBytes - 1 })['disk-space']).toHaveLength(1)
    expect(fired({ freeBytes: config.diskFreeBytes })).toEqual({})
  })

  it('fires on sync failures like on errors, with their own thresholds', () => {
    expect(fired({ syncFailures: { current: 10, baseline: 1 } })['sync-failures']).toHaveLength(1)
    expect(fired({ syncFailures: { current: 10, baseline: 4 } })).toEqual({})
  })

  it('describes every rule with its threshold', () => {
    const rules = describeRules(config)
    expect(rules.map((rule) => rule.id)).toEqual([...ruleIds])
    expect(rules.find((rule) => rule.id === 'error-rate')?.threshold).toBe(
      '≥ 10 in 5 min and > 3× the hour before',
    )
  })
})
