import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Hono } from 'hono'
import type { GatewayEnv } from '../types'

// Swagger UI from the npm package, served by the gateway itself: no CDN.
const assetsDir = path.dirname(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
)

const assets = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sightline gateway API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`

const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true })\n`

const csp =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"

/** A browsable page for `/api/openapi.json`. */
export const docs = () => {
  const cache = new Map<string, Buffer>()
  return new Hono<GatewayEnv>()
    .get('/', (c) => c.html(page, 200, { 'Content-Security-Policy': csp }))
    .get('/init.js', (c) => c.body(init, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
    .get('/:file{swagger-ui\\.css|swagger-ui-bundle\\.js}', async (c) => {
      const file = c.req.param('file') as keyof typeof assets
      let bytes = cache.get(file)
      if (!bytes) {
        bytes = await readFile(path.join(assetsDir, file))
        cache.set(file, bytes)
      }
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': assets[file],
        'Cache-Control': 'public, max-age=86400',
      })
    })
}
