import path from 'node:path'
import { z } from 'zod'

const mebibyte = 1024 * 1024
const gibibyte = 1024 * mebibyte

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes')

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
)

const schema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  SIGHTLINE_DATA_DIR: z.string().default('data'),
  /** `file:` path (default `<data dir>/sightline.db`) or a libSQL server URL (`libsql://`, `http(s)://`). */
  SIGHTLINE_DB_URL: z.string().optional(),
  SIGHTLINE_DB_AUTH_TOKEN: z.string().optional(),
  /** How long a write waits for the database lock before it fails with SQLITE_BUSY. */
  SIGHTLINE_DB_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  /** `disk` (default, under `<data dir>/blobs`) or `s3` (the `SIGHTLINE_S3_*` settings). */
  SIGHTLINE_BLOB_STORE: z.enum(['disk', 's3']).default('disk'),
  SIGHTLINE_BLOB_DIR: z.string().optional(),
  SIGHTLINE_S3_ENDPOINT: z.string().url().optional(),
  SIGHTLINE_S3_REGION: z.string().default('us-east-1'),
  SIGHTLINE_S3_BUCKET: z.string().optional(),
  SIGHTLINE_S3_ACCESS_KEY_ID: z.string().optional(),
  SIGHTLINE_S3_SECRET_ACCESS_KEY: z.string().optional(),
  SIGHTLINE_S3_PREFIX: z.string().default(''),
  /** Bytes of image files each account may keep on the gateway. */
  SIGHTLINE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * gibibyte),
  /** Origins other than the gateway's own allowed to call it with credentials (comma-separated). */
  SIGHTLINE_CORS_ORIGINS: list.default([]),
  /** Trust `X-Forwarded-For` / `X-Forwarded-Proto` (set when behind a reverse proxy). */
  SIGHTLINE_TRUST_PROXY: bool.default(false),
  SIGHTLINE_SESSION_DAYS: z.coerce.number().positive().default(30),
  /** Public DSN keys whose error envelopes are accepted (comma-separated). */
  SIGHTLINE_TELEMETRY_KEYS: list.default(['sightline']),
  /** Envelopes accepted per DSN key per minute before 429. */
  SIGHTLINE_TELEMETRY_PER_MINUTE: z.coerce.number().int().positive().default(300),
  /** The app build's source maps, for readable stack traces in error reports (`next build` output). */
  SIGHTLINE_SOURCE_MAPS_DIR: z.string().default('.next/static'),
  /** Bearer token Prometheus must send for /metrics; without one, only loopback may read it. */
  SIGHTLINE_METRICS_TOKEN: z.string().min(16).optional(),
  /** /api/ready fails when the data folder's disk has less free space than this. */
  SIGHTLINE_MIN_FREE_BYTES: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(1024 * 1024 * 1024),
  /** `closed`: only the first account (the admin) can sign up; for a private server. */
  SIGHTLINE_SIGNUP: z.enum(['open', 'closed']).default('open'),
  /** Sign-in attempts per IP per 15 minutes, and failed attempts per account per 15 minutes. */
  SIGHTLINE_LOGIN_LIMIT_PER_IP: z.coerce.number().int().positive().default(30),
  SIGHTLINE_LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  /** Where alert notices are POSTed as JSON (Slack-compatible `text`); without one, in the app only. */
  SIGHTLINE_ALERT_WEBHOOK_URL: z.string().url().optional(),
  /** How often the alert rules run, and the window each looks at. */
  SIGHTLINE_ALERT_INTERVAL_S: z.coerce.number().int().min(1).default(60),
  SIGHTLINE_ALERT_WINDOW_MIN: z.coerce.number().int().min(1).max(1440).default(5),
  /** Error rate: errors in the window at least this many and this many times the last hour's rate. */
  SIGHTLINE_ALERT_ERRORS_MIN: z.coerce.number().int().min(1).default(10),
  SIGHTLINE_ALERT_ERRORS_FACTOR: z.coerce.number().min(1).default(3),
  /** Inference p95 regression: this many times the previous day's p95, with enough runs in both. */
  SIGHTLINE_ALERT_P95_FACTOR: z.coerce.number().min(1).default(1.5),
  SIGHTLINE_ALERT_P95_MIN_RUNS: z.coerce.number().int().min(1).default(20),
  /** Disk nearly full: less free space than this (readiness fails at SIGHTLINE_MIN_FREE_BYTES). */
  SIGHTLINE_ALERT_DISK_FREE_BYTES: z.coerce.number().int().nonnegative().optional(),
  /** Sync failures: failed sync calls in the window at least this many and this many times the last hour's rate. */
  SIGHTLINE_ALERT_SYNC_FAILURES_MIN: z.coerce.number().int().min(1).default(10),
  SIGHTLINE_ALERT_SYNC_FAILURES_FACTOR: z.coerce.number().min(1).default(3),
})

/** Alert rules' schedule and thresholds; see `server/monitoring/alerts.ts`. */
export interface AlertConfig {
  webhookUrl?: string
  intervalMs: number
  windowMs: number
  errors: { min: number; factor: number }
  p95: { factor: number; minRuns: number }
  diskFreeBytes: number
  syncFailures: { min: number; factor: number }
}

/** The gateway's settings, parsed from the environment with defaults that run on one machine. */
export interface Config {
  host: string
  port: number
  dataDir: string
  db: { url: string; authToken?: string; busyTimeoutMs: number }
  blobs:
    | { kind: 'disk'; dir: string }
    | {
        kind: 's3'
        endpoint?: string
        region: string
        bucket: string
        accessKeyId?: string
        secretAccessKey?: string
        prefix: string
      }
  quotaBytes: number
  corsOrigins: string[]
  trustProxy: boolean
  sessionMs: number
  signup: 'open' | 'closed'
  metricsToken?: string
  telemetry: {
    keys: string[]
    perMinute: number
    maxBodyBytes: number
    maxInflatedBytes: number
    sourceMapsDir: string
  }
  minFreeBytes: number
  loginLimit: { perIp: number; perAccount: number; windowMs: number }
  alerts: AlertConfig
  /** Largest JSON body (sync push included); blob chunks have their own limit. */
  maxJsonBytes: number
  maxChunkBytes: number
  /** Largest image file accepted, like the app's import limit. */
  maxBlobBytes: number
}

/** Reads the gateway's configuration; throws a readable error naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid gateway configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  const dataDir = path.resolve(e.SIGHTLINE_DATA_DIR)
  let blobs: Config['blobs']
  if (e.SIGHTLINE_BLOB_STORE === 's3') {
    if (!e.SIGHTLINE_S3_BUCKET) {
      throw new Error('Invalid gateway configuration: SIGHTLINE_S3_BUCKET is required with s3')
    }
    blobs = {
      kind: 's3',
      endpoint: e.SIGHTLINE_S3_ENDPOINT,
      region: e.SIGHTLINE_S3_REGION,
      bucket: e.SIGHTLINE_S3_BUCKET,
      accessKeyId: e.SIGHTLINE_S3_ACCESS_KEY_ID,
      secretAccessKey: e.SIGHTLINE_S3_SECRET_ACCESS_KEY,
      prefix: e.SIGHTLINE_S3_PREFIX,
    }
  } else {
    blobs = { kind: 'disk', dir: path.resolve(e.SIGHTLINE_BLOB_DIR ?? path.join(dataDir, 'blobs')) }
  }
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir,
    db: {
      url: e.SIGHTLINE_DB_URL ?? `file:${path.join(dataDir, 'sightline.db')}`,
      authToken: e.SIGHTLINE_DB_AUTH_TOKEN,
      busyTimeoutMs: e.SIGHTLINE_DB_BUSY_TIMEOUT_MS,
    },
    blobs,
    quotaBytes: e.SIGHTLINE_QUOTA_BYTES,
    corsOrigins: e.SIGHTLINE_CORS_ORIGINS,
    trustProxy: e.SIGHTLINE_TRUST_PROXY,
    sessionMs: e.SIGHTLINE_SESSION_DAYS * 24 * 60 * 60 * 1000,
    signup: e.SIGHTLINE_SIGNUP,
    metricsToken: e.SIGHTLINE_METRICS_TOKEN,
    telemetry: {
      keys: e.SIGHTLINE_TELEMETRY_KEYS,
      perMinute: e.SIGHTLINE_TELEMETRY_PER_MINUTE,
      maxBodyBytes: mebibyte,
      maxInflatedBytes: 10 * mebibyte,
      sourceMapsDir: path.resolve(e.SIGHTLINE_SOURCE_MAPS_DIR),
    },
    minFreeBytes: e.SIGHTLINE_MIN_FREE_BYTES,
    loginLimit: {
      perIp: e.SIGHTLINE_LOGIN_LIMIT_PER_IP,
      perAccount: e.SIGHTLINE_LOGIN_LIMIT_PER_ACCOUNT,
      windowMs: 15 * 60 * 1000,
    },
    alerts: {
      webhookUrl: e.SIGHTLINE_ALERT_WEBHOOK_URL,
      intervalMs: e.SIGHTLINE_ALERT_INTERVAL_S * 1000,
      windowMs: e.SIGHTLINE_ALERT_WINDOW_MIN * 60 * 1000,
      errors: { min: e.SIGHTLINE_ALERT_ERRORS_MIN, factor: e.SIGHTLINE_ALERT_ERRORS_FACTOR },
      p95: { factor: e.SIGHTLINE_ALERT_P95_FACTOR, minRuns: e.SIGHTLINE_ALERT_P95_MIN_RUNS },
      diskFreeBytes:
        e.SIGHTLINE_ALERT_DISK_FREE_BYTES ?? Math.max(2 * gibibyte, 2 * e.SIGHTLINE_MIN_FREE_BYTES),
      syncFailures: {
        min: e.SIGHTLINE_ALERT_SYNC_FAILURES_MIN,
        factor: e.SIGHTLINE_ALERT_SYNC_FAILURES_FACTOR,
      },
    },
    maxJsonBytes: 16 * mebibyte,
    maxChunkBytes: 8 * mebibyte,
    maxBlobBytes: 200 * mebibyte,
  }
}
