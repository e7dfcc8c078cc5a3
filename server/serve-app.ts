import { createServer } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import next from 'next'
import { loadConfig } from './env'
import { startGateway } from './gateway'

// `npm start`: the app and the gateway on one port. Requests under /api and /metrics go to the
// gateway;
// everything else to Next.js (the production build, or `next dev` with --dev). One origin means
// the session cookie is first-party and no CORS is needed.
const dev = process.argv.includes('--dev')
const config = loadConfig()
const gateway = await startGateway(config)
const nextApp = next({
  dev,
  dir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'),
  hostname: config.host,
  port: config.port,
})
await nextApp.prepare()
const toNext = nextApp.getRequestHandler()
const toGateway = getRequestListener(gateway.app.fetch)

const server = createServer((request, response) => {
  const url = request.url ?? '/'
  // The build's source maps are for the gateway's error reports, not for download.
  if (!dev && /^\/_next\/static\/[^?#]*\.map(?:[?#]|$)/.test(url)) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n')
    return
  }
  // The service worker takes shared images (workers/sw/share-target.ts); before it is installed a
  // share cannot be kept, so the library says so instead of a 404.
  if (request.method === 'POST' && (url === '/share-target' || url.startsWith('/share-target?'))) {
    request.resume()
    response.writeHead(303, { Location: '/library?shared=failed' }).end()
    return
  }
  if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?') || url === '/metrics') {
    void toGateway(request, response)
  } else {
    void toNext(request, response)
  }
})

server.listen(config.port, config.host, () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  gateway.log.info({ url: `http://${config.host}:${port}/`, dev }, 'Sightline listening')
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      gateway.close()
      void nextApp.close().finally(() => process.exit(0))
    })
    // Keep-alive connections would hold close() open; the gateway's data is already safe.
    setTimeout(() => process.exit(0), 5000).unref()
  })
}
