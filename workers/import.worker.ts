import { expose } from 'comlink'
import { inspect } from './import/inspect'
import type { TelemetryConfig } from './telemetry/config'
import { configureSentry } from './telemetry/sentry'

const api = {
  inspect,
  /** Starts (or with `null` stops) error reporting in this worker; see app/_lib/telemetry. */
  configureTelemetry: (config: TelemetryConfig | null) => configureSentry(config, 'worker'),
}

/** What `import-client.ts` can call in the import worker. */
export type ImportApi = typeof api

expose(api)
