/** Where error reports go and how they are labelled; passed from the page to every worker. */
export interface TelemetryConfig {
  /** A Sentry DSN: this server's own (`…//sightline@host/1`) or a configured Sentry/GlitchTip one. */
  dsn: string
  /** Same-origin path the SDK posts envelopes to instead of the DSN's host; unset for a custom DSN. */
  tunnel?: string
  /** `sightline@<package version>`. */
  release: string
  environment: string
  /** Anonymous random id of this browser profile, so "users affected" counts devices, not people. */
  installId: string
}

/** Which side of postMessage an event comes from; sent as the `context` tag. */
export type TelemetryContext = 'page' | 'worker'

/** The error the "Send a test error" button throws, so admins can check the pipeline. */
export class TelemetryTestError extends Error {
  override readonly name = 'TelemetryTestError'
}
