// The reference for bench/gateway/run.ts: a bare node:http server that does, per request, the
// database work the gateway does for three routes, with no framework and no middleware.
//
// - GET /api/health       → {"status":"ok"}
// - GET /api/account      → the session lookup of server/db/sessions.ts `user()`, then the usage
//                           query of server/db/users.ts `usage()`; the gateway's response body
// - GET /api/sync/pull    → the session lookup, then the statements of server/db/records.ts `pullJson()`
//                           with limit + 1; each row's data JSON.parse'd, the whole response
//                           JSON.stringify'd, as the gateway does
//
// It reads the gateway's database file through its own connection (`concurrency: 1`, like the
// gateway's) and never writes: it takes no writer lock, and does not extend sessions (the gateway
// extends only those past half their lifetime, which a fresh bench session is not).
// Configured by the gateway's own variables (PORT, HOST, SIGHTLINE_DATA_DIR or SIGHTLINE_DB_URL,
// SIGHTLINE_QUOTA_BYTES), read once at start through server/env.ts.

import { createHash } from 'node:crypto'
import http from 'node:http'
import { createClient } from '@libsql/client'
import { loadConfig } from '../../server/env'

const config = loadConfig()
const db = createClient({ url: config.db.url, concurrency: 1 })
const cookiePattern = /(?:^|;\s*)sightline_session=([^;]*)/

interface User {
  id: string
  email: string
  role: 'user' | 'admin'
  disabled: false
  createdAt: number
}

/** The signed-in user: the gateway's loadSession, without renewal. */
async function sessionUser(request: http.IncomingMessage): Promise<User | undefined> {
  const token = cookiePattern.exec(request.headers.cookie ?? '')?.[1]
  if (!token || token.length > 64) return undefined
  const tokenHash = createHash('sha256').update(token).digest('hex')
  const { rows } = await db.execute({
    sql: `SELECT u.id, u.email, u.role, u.disabled, u.created_at, s.expires_at
          FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
    args: [tokenHash, Date.now()],
  })
  const row = rows[0]
  if (!row) return undefined
  return {
    id: String(row.id),
    email: String(row.email),
    role: row.role === 'admin' ? 'admin' : 'user',
    disabled: false,
    createdAt: Number(row.created_at),
  }
}

async function account(user: User) {
  const { rows } = await db.execute({
    sql: `SELECT (SELECT coalesce(sum(bytes), 0) FROM user_blobs WHERE user_id = ?1) AS file_bytes,
                 (SELECT coalesce(sum(bytes), 0) FROM records WHERE user_id = ?1) AS record_bytes,
                 (SELECT count(*) FROM records WHERE user_id = ?1 AND deleted = 0) AS records`,
    args: [user.id],
  })
  const row = rows[0]
  const usage = {
    fileBytes: Number(row?.file_bytes ?? 0),
    recordBytes: Number(row?.record_bytes ?? 0),
    records: Number(row?.records ?? 0),
    quotaBytes: config.quotaBytes,
  }
  return { user, usage }
}

async function pull(user: User, query: URLSearchParams) {
  const since = Number(query.get('since') ?? 0)
  const limit = Number(query.get('limit') ?? 500)
  if (
    !Number.isInteger(since) ||
    since < 0 ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 1000
  ) {
    return undefined
  }
  // The same two statements as server/db/records.ts `pullJson()`: SQLite builds the JSON text.
  const [page, more] = await db.batch(
    [
      {
        sql: `SELECT json_group_array(json_object(
                  'kind', kind, 'id', id, 'seq', seq,
                  'deleted', json(CASE deleted WHEN 1 THEN 'true' ELSE 'false' END),
                  'data', json(data), 'deviceId', device_id, 'updatedAt', updated_at
                ) ORDER BY seq) AS changes,
                coalesce(max(seq), ?2) AS cursor
              FROM (SELECT * FROM records WHERE user_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3)`,
        args: [user.id, since, limit],
      },
      {
        sql: `SELECT EXISTS (SELECT 1 FROM records WHERE user_id = ?1 AND seq > (
                SELECT coalesce(max(seq), ?2) FROM
                  (SELECT seq FROM records WHERE user_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3)
              )) AS more`,
        args: [user.id, since, limit],
      },
    ],
    'read',
  )
  const row = page?.rows[0]
  const hasMore = Number(more?.rows[0]?.more ?? 0) === 1
  return new RawJson(
    `{"changes":${String(row?.changes ?? '[]')},"cursor":${Number(row?.cursor ?? since)},"hasMore":${hasMore}}`,
  )
}

/** JSON text sent as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

function send(response: http.ServerResponse, status: number, body: unknown) {
  const text = body instanceof RawJson ? body.text : JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://bare')
  if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' })
  if (url.pathname === '/api/health') return send(response, 200, { status: 'ok' })
  if (url.pathname !== '/api/account' && url.pathname !== '/api/sync/pull') {
    return send(response, 404, { error: 'not found' })
  }
  const user = await sessionUser(request)
  if (!user) return send(response, 401, { error: 'not signed in' })
  if (url.pathname === '/api/account') return send(response, 200, await account(user))
  const body = await pull(user, url.searchParams)
  return body ? send(response, 200, body) : send(response, 400, { error: 'invalid query' })
}

const server = http.createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    console.error(error)
    if (!response.headersSent) send(response, 500, { error: 'internal' })
    else response.destroy()
  })
})
server.listen(config.port, config.host, () => {
  console.log(`bare server listening on http://${config.host}:${config.port}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      db.close()
      process.exit(0)
    })
    server.closeAllConnections()
  })
}
