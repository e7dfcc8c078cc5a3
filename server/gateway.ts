import path from 'node:path'
import { createApp } from './app'
import { createDiskStore } from './blobs/disk'
import { createS3Store } from './blobs/s3'
import { createStaging } from './blobs/staging'
import { createStore, Db, migrate } from './db'
import type { Config } from './env'
import { createLogger, type Logger } from './lib/log'

/** A running gateway's app and how to stop it cleanly. */
export interface Gateway {
  app: ReturnType<typeof createApp>
  db: Db
  log: Logger
  close(): void
}

/** Opens the database (migrating it), the file store and the app, as configured. */
export async function startGateway(config: Config, log: Logger = createLogger()): Promise<Gateway> {
  const db = await Db.open({
    url: config.db.url,
    authToken: config.db.authToken,
    busyTimeoutMs: config.db.busyTimeoutMs,
  })
  try {
    const applied = await migrate(db)
    if (applied.length > 0) log.info({ applied }, 'migrations applied')
  } catch (error) {
    db.close()
    throw error
  }
  const blobStore =
    config.blobs.kind === 's3' ? createS3Store(config.blobs) : createDiskStore(config.blobs.dir)
  const staging = createStaging(path.join(config.dataDir, 'uploads'))
  const app = createApp({ store: createStore(db), config, blobStore, staging, log })
  const hourly = setInterval(
    () => void app.housekeeping.sweep().catch((error) => log.error({ err: error }, 'housekeeping')),
    60 * 60 * 1000,
  )
  hourly.unref()
  // The per-minute history behind the Monitoring page's charts (monitor_minutes).
  const sampling = setInterval(
    () => void app.sampler.flush().catch((error) => log.error({ err: error }, 'sampler')),
    60 * 1000,
  )
  sampling.unref()
  const alerts = setInterval(
    () => void app.alerting.evaluate().catch((error) => log.error({ err: error }, 'alert rules')),
    config.alerts.intervalMs,
  )
  alerts.unref()
  return {
    app,
    db,
    log,
    close() {
      clearInterval(hourly)
      clearInterval(sampling)
      clearInterval(alerts)
      db.close()
    },
  }
}
