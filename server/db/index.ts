import { alerts } from './alerts'
import { blobs } from './blobs'
import type { Db } from './client'
import { monitoring } from './monitoring'
import { records } from './records'
import { sessions } from './sessions'
import { telemetry } from './telemetry'
import { users } from './users'

/** Every query the gateway makes, grouped by table; routes reach the database only through this. */
export function createStore(db: Db) {
  return {
    db,
    users: users(db),
    sessions: sessions(db),
    records: records(db),
    blobs: blobs(db),
    telemetry: telemetry(db),
    monitoring: monitoring(db),
    alerts: alerts(db),
  }
}

export type Store = ReturnType<typeof createStore>
export { Db } from './client'
export { migrate, isMigrated } from './migrate'
