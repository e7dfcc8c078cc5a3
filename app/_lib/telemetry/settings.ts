'use client'

import { useCallback, useSyncExternalStore } from 'react'
import type { TelemetryConfig } from '../../../workers/inference-client'

/** What the user chose in Settings → Error reports and performance. */
export interface TelemetrySettings {
  /** Off until the user opts in. */
  enabled: boolean
  /** A Sentry-compatible DSN to report to instead of this server; empty for this server. */
  dsn: string
}

export const defaultTelemetrySettings: TelemetrySettings = { enabled: false, dsn: '' }

const settingsKey = 'sightline.telemetry'
const installIdKey = 'sightline.telemetry-install-id'

/** The DSN key of this server's own telemetry (the gateway's default SIGHTLINE_TELEMETRY_KEYS). */
export const ownDsnKey = 'sightline'

/** Where the SDK posts envelopes for this server: the gateway's tunnel on our own origin. */
export const tunnelPath = '/api/telemetry/envelope'

/** The gateway's inference figures endpoint, authenticated like envelopes. */
export const inferenceUrl = `/api/telemetry/inference?sentry_key=${ownDsnKey}`

/** `sightline@<package version>`, from next.config.js. */
export const release = process.env.NEXT_PUBLIC_SIGHTLINE_RELEASE ?? 'sightline@unknown'

export const environment = process.env.NODE_ENV ?? 'production'

/**
 * Whether `value` is a Sentry DSN: `http(s)://PUBLIC_KEY@HOST[:PORT]/[PATH/]PROJECT_ID`, with a
 * numeric project id (what Sentry and GlitchTip show under Client Keys).
 */
export function isValidDsn(value: string): boolean {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return false
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username !== '' &&
    url.hostname !== '' &&
    url.search === '' &&
    url.hash === '' &&
    /\/\d+$/.test(url.pathname)
  )
}

/** This server's own DSN for a page at `origin`; envelopes go through `tunnelPath`. */
export const ownDsn = (origin: { protocol: string; host: string }) =>
  `${origin.protocol}//${ownDsnKey}@${origin.host}/1`

/**
 * What the SDKs in the page and the workers start with, or null while the user has not opted in.
 * A custom DSN is posted to directly (no tunnel); otherwise reports go to this server.
 */
export function telemetryConfig(
  settings: TelemetrySettings,
  origin: { protocol: string; host: string },
  installId: string,
): TelemetryConfig | null {
  if (!settings.enabled) return null
  const custom = settings.dsn.trim()
  if (custom && isValidDsn(custom)) {
    return { dsn: custom, release, environment, installId }
  }
  return { dsn: ownDsn(origin), tunnel: tunnelPath, release, environment, installId }
}

/** Whether reports go to this server (only then are inference figures sent too). */
export const reportsToThisServer = (settings: TelemetrySettings) =>
  !settings.dsn.trim() || !isValidDsn(settings.dsn)

function parse(raw: string | null): TelemetrySettings {
  try {
    const stored = JSON.parse(raw ?? 'null') as Partial<TelemetrySettings> | null
    return {
      enabled: stored?.enabled === true,
      dsn: typeof stored?.dsn === 'string' ? stored.dsn : '',
    }
  } catch {
    // Unreadable settings mean "off", the safe default.
    return defaultTelemetrySettings
  }
}

const storage = () => (typeof localStorage === 'undefined' ? undefined : localStorage)

let cached: { raw: string | null; settings: TelemetrySettings } | undefined

/** The stored settings (the same object until they change, as useSyncExternalStore needs). */
export function readTelemetrySettings(): TelemetrySettings {
  const raw = storage()?.getItem(settingsKey) ?? null
  if (cached?.raw !== raw) cached = { raw, settings: parse(raw) }
  return cached.settings
}

const listeners = new Set<() => void>()

/** Stores a change; opting out also forgets the install id, so a later opt-in is a new device. */
export function writeTelemetrySettings(patch: Partial<TelemetrySettings>): void {
  const next = { ...readTelemetrySettings(), ...patch }
  storage()?.setItem(settingsKey, JSON.stringify(next))
  if (!next.enabled) storage()?.removeItem(installIdKey)
  for (const listener of listeners) listener()
}

/** Calls `listener` when the settings change in this tab or another. */
export function subscribeTelemetrySettings(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === settingsKey || event.key === null) listener()
  }
  listeners.add(listener)
  globalThis.addEventListener?.('storage', onStorage)
  return () => {
    listeners.delete(listener)
    globalThis.removeEventListener?.('storage', onStorage)
  }
}

/** This browser profile's anonymous random id, created on first use. */
export function getOrCreateInstallId(): string {
  let id = storage()?.getItem(installIdKey)
  if (!id) {
    // getRandomValues, unlike randomUUID, also exists on plain-http LAN hosts.
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('')
    storage()?.setItem(installIdKey, id)
  }
  return id
}

/** The telemetry settings and a setter, shared by every component and tab. */
export function useTelemetrySettings() {
  const settings = useSyncExternalStore(
    subscribeTelemetrySettings,
    readTelemetrySettings,
    () => defaultTelemetrySettings,
  )
  const update = useCallback(
    (patch: Partial<TelemetrySettings>) => writeTelemetrySettings(patch),
    [],
  )
  return { settings, update }
}
