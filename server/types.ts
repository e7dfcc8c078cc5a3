import type { BlobStore } from './blobs/types'
import type { Staging } from './blobs/staging'
import type { Store } from './db'
import type { User } from './db/users'
import type { Config } from './env'
import type { Logger } from './lib/log'
import type { Metrics } from './monitoring/metrics'

/** What every handler finds in `c.var`. */
export interface GatewayEnv {
  Variables: {
    store: Store
    config: Config
    blobStore: BlobStore
    staging: Staging
    log: Logger
    metrics: Metrics
    requestId: string
    user?: User
    sessionHash?: string
    /** Set by hono-rate-limiter. */
    rateLimit?: { resetTime?: Date }
  }
}
