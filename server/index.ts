import { serve } from '@hono/node-server'
import { loadConfig } from './env'
import { startGateway } from './gateway'

// The gateway alone (`npm run server`); `npm start` serves it together with the app (serve-app.ts).
const config = loadConfig()
const gateway = await startGateway(config)
const server = serve(
  { fetch: gateway.app.fetch, hostname: config.host, port: config.port },
  (info) =>
    gateway.log.info({ url: `http://${info.address}:${info.port}/api` }, 'gateway listening'),
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      gateway.close()
      process.exit(0)
    })
  })
}
