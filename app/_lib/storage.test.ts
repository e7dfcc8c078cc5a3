import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  hasAskedForPersistence,
  isNoticeDue,
  persistenceAnsweredEvent,
  readRefusedWriteUsage,
  rememberRefusedWrite,
  requestPersistenceOnce,
  storageLevel,
  usageBreakdown,
  usedPercent,
} from './storage'

const mb = 1_000_000

describe(storageLevel, () => {
  it.each([
    [0, 'ok'],
    [79.9, 'ok'],
    [80, 'warning'],
    [94.9, 'warning'],
    [95, 'critical'],
    [100, 'critical'],
  ] as const)('at %s MB of 100 MB is %s', (used, level) => {
    expect(storageLevel({ usageBytes: used * mb, quotaBytes: 100 * mb })).toBe(level)
  })

  it('is unknown when the browser reports no quota', () => {
    expect(storageLevel({})).toBe('unknown')
    expect(storageLevel({ usageBytes: 5, quotaBytes: 0 })).toBe('unknown')
  })

  it('is full after a refused write until 1 MB has been freed, whatever the quota says', () => {
    const quotaBytes = 10_000 * mb
    expect(storageLevel({ usageBytes: 50 * mb, quotaBytes }, 50 * mb)).toBe('full')
    expect(storageLevel({ usageBytes: 51 * mb, quotaBytes }, 50 * mb)).toBe('full')
    expect(storageLevel({ usageBytes: 49.5 * mb, quotaBytes }, 50 * mb)).toBe('full')
    expect(storageLevel({ usageBytes: 49 * mb, quotaBytes }, 50 * mb)).toBe('ok')
    expect(storageLevel({ usageBytes: 49 * mb, quotaBytes: 50 * mb }, 50 * mb)).toBe('critical')
  })

  it('is full after a refused write where the browser reports no usage', () => {
    expect(storageLevel({}, 0)).toBe('full')
  })
})

describe(isNoticeDue, () => {
  it('tells about warning, critical and full, not ok or unknown', () => {
    expect(
      ['unknown', 'ok', 'warning', 'critical', 'full'].map((l) =>
        isNoticeDue(l as never, undefined),
      ),
    ).toEqual([false, false, true, true, true])
  })

  it('stays quiet at a dismissed level and below it, and speaks again when the level rises', () => {
    expect(isNoticeDue('warning', 'warning')).toBe(false)
    expect(isNoticeDue('warning', 'critical')).toBe(false)
    expect(isNoticeDue('critical', 'warning')).toBe(true)
    expect(isNoticeDue('full', 'critical')).toBe(true)
  })
})

describe(usedPercent, () => {
  it('is the share of the quota in percent', () => {
    expect(usedPercent({ usageBytes: 25, quotaBytes: 200 })).toBe(12.5)
  })

  it('is undefined without usage or quota', () => {
    expect(usedPercent({ quotaBytes: 200 })).toBeUndefined()
    expect(usedPercent({ usageBytes: 25, quotaBytes: 0 })).toBeUndefined()
  })
})

describe(usageBreakdown, () => {
  it('labels the kinds the browser reports, largest first, without empty ones', () => {
    expect(
      usageBreakdown({
        caches: 30 * mb,
        indexedDB: 120 * mb,
        serviceWorkerRegistrations: 0,
        other: 5,
      }),
    ).toEqual([
      { key: 'indexedDB', label: 'Images, thumbnails and results', bytes: 120 * mb },
      { key: 'caches', label: 'Offline copy of the app and its models', bytes: 30 * mb },
      { key: 'other', label: 'other', bytes: 5 },
    ])
  })

  it('is empty where the browser gives no details', () => {
    expect(usageBreakdown(undefined)).toEqual([])
  })
})

describe(rememberRefusedWrite, () => {
  beforeEach(() => {
    const items = new Map<string, string>()
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    })
  })
  afterEach(() => vi.unstubAllGlobals())

  it('keeps the usage of a refused write until it is forgotten', () => {
    expect(readRefusedWriteUsage()).toBeUndefined()
    rememberRefusedWrite(123_456)
    expect(readRefusedWriteUsage()).toBe(123_456)
    rememberRefusedWrite(undefined)
    expect(readRefusedWriteUsage()).toBeUndefined()
  })
})

describe(requestPersistenceOnce, () => {
  // The browser's side only: a Storage in memory and a StorageManager that counts requests.
  let persistRequests: number
  let answered: number
  beforeEach(() => {
    persistRequests = 0
    answered = 0
    const items = new Map<string, string>()
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
    })
    vi.stubGlobal('navigator', {
      storage: {
        persisted: async () => false,
        persist: async () => {
          persistRequests++
          return false
        },
      },
    })
    const target = new EventTarget()
    target.addEventListener(persistenceAnsweredEvent, () => answered++)
    vi.stubGlobal('window', target)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('asks the browser once per occasion, never again', async () => {
    expect(hasAskedForPersistence()).toBe(false)

    expect(await requestPersistenceOnce('first-import')).toBe(false)
    expect(await requestPersistenceOnce('first-import')).toBeUndefined()
    expect(persistRequests).toBe(1)
    expect(hasAskedForPersistence()).toBe(true)

    expect(await requestPersistenceOnce('installed')).toBe(false)
    expect(persistRequests).toBe(2)
    expect(answered).toBe(2)
  })

  it('does not ask when it cannot remember having asked', async () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError')
      },
    })

    expect(await requestPersistenceOnce('first-import')).toBeUndefined()
    expect(persistRequests).toBe(0)
  })
})
