import type { Alert } from './api'
import { alertDuration, formatDuration, noticesFor, nothingAnnounced } from './alerts'

const alert = (id: number, resolvedAt: number | null = null): Alert => ({
  id,
  rule: 'error-rate',
  key: '',
  title: `Alert ${id}`,
  detail: '',
  value: null,
  startedAt: 1_000,
  resolvedAt,
})

describe(formatDuration, () => {
  it.each([
    [0, '0 s'],
    [40_500, '40 s'],
    [12 * 60_000 + 5_000, '12 min'],
    [3 * 3_600_000, '3 h'],
    [3 * 3_600_000 + 5 * 60_000, '3 h 5 min'],
    [52 * 3_600_000, '2 d 4 h'],
    [72 * 3_600_000, '3 d'],
    [-1, '—'],
  ])('%i ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe(alertDuration, () => {
  it('runs until the alert resolved, or until now while it fires', () => {
    expect(alertDuration(alert(1, 61_000), 99_000)).toBe(60_000)
    expect(alertDuration(alert(1), 99_000)).toBe(98_000)
  })
})

describe(noticesFor, () => {
  it('announces each firing alert once', () => {
    const first = noticesFor({ firing: [alert(1)], history: [alert(1)] }, nothingAnnounced)
    expect(first.started.map((a) => a.id)).toEqual([1])
    const second = noticesFor({ firing: [alert(1)], history: [alert(1)] }, first.announced)
    expect(second.started).toEqual([])
    expect(second.resolved).toEqual([])
  })

  it('announces the resolution of an announced alert once', () => {
    const { announced } = noticesFor({ firing: [alert(1)], history: [alert(1)] }, nothingAnnounced)
    const cleared = noticesFor({ firing: [], history: [alert(1, 5_000)] }, announced)
    expect(cleared.resolved.map((a) => a.id)).toEqual([1])
    expect(
      noticesFor({ firing: [], history: [alert(1, 5_000)] }, cleared.announced).resolved,
    ).toEqual([])
  })

  it('says nothing of alerts that resolved before this browser saw them fire', () => {
    const notices = noticesFor({ firing: [], history: [alert(1, 5_000)] }, nothingAnnounced)
    expect(notices).toMatchObject({ started: [], resolved: [] })
  })

  it('forgets alerts that dropped out of the history', () => {
    const announced = { firing: [1, 2], resolved: [1] }
    expect(noticesFor({ firing: [alert(2)], history: [alert(2)] }, announced).announced).toEqual({
      firing: [2],
      resolved: [],
    })
  })
})
