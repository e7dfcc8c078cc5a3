import {
  getOrCreateInstallId,
  isValidDsn,
  readTelemetrySettings,
  reportsToThisServer,
  subscribeTelemetrySettings,
  telemetryConfig,
  tunnelPath,
  writeTelemetrySettings,
} from './settings'

const origin = { protocol: 'http:', host: 'localhost:3000' }

describe(isValidDsn, () => {
  it('accepts Sentry and GlitchTip DSNs', () => {
    expect(isValidDsn('https://0123456789abcdef@o123.ingest.sentry.io/4505')).toBe(true)
    expect(isValidDsn('https://abc@glitchtip.example.org/3')).toBe(true)
    expect(isValidDsn('http://key@localhost:8000/prefix/12')).toBe(true)
  })

  it('refuses what is not a DSN', () => {
    for (const dsn of [
      '',
      'sentry',
      'https://sentry.io/4505',
      'https://key@sentry.io/',
      'https://key@sentry.io/project',
      'ftp://key@sentry.io/1',
      'https://key@sentry.io/1?x=1',
    ]) {
      expect(isValidDsn(dsn), dsn).toBe(false)
    }
  })
})

describe(telemetryConfig, () => {
  it('is null until the user opts in', () => {
    expect(telemetryConfig({ enabled: false, dsn: '' }, origin, 'id')).toBeNull()
  })

  it("reports to this server's tunnel by default", () => {
    expect(telemetryConfig({ enabled: true, dsn: '' }, origin, 'device-1')).toMatchObject({
      dsn: 'http://sightline@localhost:3000/1',
      tunnel: tunnelPath,
      installId: 'device-1',
    })
  })

  it('posts straight to a custom DSN, without the tunnel', () => {
    const config = telemetryConfig(
      { enabled: true, dsn: ' https://k@sentry.example/7 ' },
      origin,
      'd',
    )
    expect(config?.dsn).toBe('https://k@sentry.example/7')
    expect(config?.tunnel).toBeUndefined()
    expect(reportsToThisServer({ enabled: true, dsn: 'https://k@sentry.example/7' })).toBe(false)
  })

  it('ignores a stored DSN that is not valid', () => {
    expect(telemetryConfig({ enabled: true, dsn: 'nonsense' }, origin, 'd')?.tunnel).toBe(
      tunnelPath,
    )
  })
})

describe('stored settings', () => {
  const store = new Map<string, string>()
  beforeAll(() => {
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
      removeItem: (key: string) => void store.delete(key),
    })
  })
  afterAll(() => vi.unstubAllGlobals())
  beforeEach(() => store.clear())

  it('are off by default', () => {
    expect(readTelemetrySettings()).toEqual({ enabled: false, dsn: '' })
  })

  it('read as off when unreadable', () => {
    store.set('sightline.telemetry', '{not json')
    expect(readTelemetrySettings().enabled).toBe(false)
  })

  it('tell subscribers about changes and stay the same object until then', () => {
    const heard = vi.fn()
    const unsubscribe = subscribeTelemetrySettings(heard)
    writeTelemetrySettings({ enabled: true })
    expect(heard).toHaveBeenCalledTimes(1)
    expect(readTelemetrySettings()).toBe(readTelemetrySettings())
    expect(readTelemetrySettings()).toEqual({ enabled: true, dsn: '' })
    unsubscribe()
  })

  it('keep one install id, forgotten on opt-out', () => {
    writeTelemetrySettings({ enabled: true })
    const id = getOrCreateInstallId()
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(getOrCreateInstallId()).toBe(id)
    writeTelemetrySettings({ enabled: false })
    expect(getOrCreateInstallId()).not.toBe(id)
  })
})
