import { spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createClient } from '@libsql/client'
import { TestClient } from '../_testing/gateway'
import { loadConfig } from '../env'
import { startGateway, type Gateway } from '../gateway'
import { createLogger } from '../lib/log'
import { Db, isMigrated, migrate } from '.'
import { recipeData } from '../_testing/records'

let dir: string
let file: string
let url: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sightline-durability-'))
  file = path.join(dir, 'sightline.db')
  url = `file:${file}`
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const open = (env: Record<string, string> = {}) =>
  startGateway(loadConfig({ SIGHTLINE_DATA_DIR: dir, ...env }), createLogger('silent'))

const recipe = (imageId = randomUUID()) => recipeData(imageId, { savedAt: Date.now() })

interface Ack {
  id: string
  changeId: string
  seq: number
}

/** Every record of the user in the database file, read through a new connection. */
async function recordsOnDisk(userId: string) {
  const db = await Db.open({ url })
  try {
    const { rows } = await db.execute(
      'SELECT id, change_id, seq FROM records WHERE user_id = ? AND kind = ?',
      [userId, 'recipe'],
    )
    return new Map(
      rows.map((row) => [
        String(row.id),
        { changeId: String(row.change_id), seq: Number(row.seq) },
      ]),
    )
  } finally {
    db.close()
  }
}

describe('Db durability', () => {
  it('keeps every write it acknowledged under ~600 concurrent requests', async () => {
    const gateway = await open()
    let server: http.Server | undefined
    try {
      server = await new Promise<http.Server>((resolve) => {
        const s = serve({ fetch: gateway.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(s as http.Server),
        )
      })
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const ada = new TestClient(fetch, origin)
      const user = await ada.signUp('ada@example.com')

      // Five records every device fights over, and many written once.
      const contended = Array.from({ length: 5 }, () => randomUUID())
      const requests: Promise<Ack[]>[] = []
      const attempted = new Set<string>()
      for (let i = 0; i < 600; i++) {
        const deviceId = `device-${String(i % 7).padStart(4, '0')}`
        if (i % 4 === 3) {
          const changes = Array.from({ length: 4 }, () => ({
            kind: 'recipe' as const,
            id: randomUUID(),
            changeId: randomUUID(),
            baseSeq: null,
            deleted: false,
            data: recipe(),
          }))
          for (const change of changes) attempted.add(change.changeId)
          requests.push(
            ada.post('/api/sync/push', { deviceId, changes }).then(async (response) => {
              if (response.status < 200 || response.status > 299) return []
              const { outcomes } = (await response.json()) as {
                outcomes: { id: string; status: string; seq: number }[]
              }
              return outcomes.map((outcome, index) => {
                expect(outcome.status).toBe('applied')
                return {
                  id: outcome.id,
                  changeId: changes[index]?.changeId ?? '',
                  seq: outcome.seq,
                }
              })
            }),
          )
        } else {
          const id = i % 10 === 0 ? (contended[(i / 10) % 5] ?? '') : randomUUID()
          const changeId = randomUUID()
          attempted.add(changeId)
          requests.push(
            ada
              .put(`/api/records/recipe/${id}`, { deviceId, changeId, data: recipe() })
              .then(async (response) => {
                if (response.status < 200 || response.status > 299) return []
                const { status, seq } = (await response.json()) as { status: string; seq: number }
                expect(status).toBe('applied')
                return [{ id, changeId, seq }]
              }),
          )
        }
      }
      const acks = (await Promise.all(requests)).flat()
      // Nothing should be refused in one process; a test that acknowledged nothing proves nothing.
      expect(acks.length).toBe(attempted.size)
      // Every acknowledged change took its own place in the sync order.
      expect(new Set(acks.map((ack) => ack.seq)).size).toBe(acks.length)

      await new Promise((resolve) => server?.close(resolve))
      server = undefined
      gateway.close()

      const onDisk = await recordsOnDisk(user.id)
      const latest = new Map<string, Ack>()
      for (const ack of acks) {
        if ((latest.get(ack.id)?.seq ?? -1) < ack.seq) latest.set(ack.id, ack)
      }
      expect(onDisk.size).toBe(latest.size)
      for (const [id, ack] of latest) {
        // The last acknowledged write of each record is the one on disk.
        expect(onDisk.get(id), id).toEqual({ changeId: ack.changeId, seq: ack.seq })
      }
      for (const id of contended) expect(onDisk.has(id)).toBe(true)
    } finally {
      server?.closeAllConnections()
      server?.close()
      gateway.close()
    }
  }, 30_000)

  it('answers 503 with Retry-After while another connection holds the write lock, then loses nothing', async () => {
    const gateway: Gateway = await open({ SIGHTLINE_DB_BUSY_TIMEOUT_MS: '200' })
    const raw = createClient({ url })
    try {
      const ada = new TestClient((input, init) => gateway.app.request(input, init))
      const user = await ada.signUp('ada@example.com')
      const acked: { id: string; changeId: string }[] = []
      const put = async (id = randomUUID(), changeId = randomUUID()) => {
        const response = await ada.put(`/api/records/recipe/${id}`, {
          deviceId: 'laptop-0001',
          changeId,
          data: recipe(),
        })
        if (response.status === 200) acked.push({ id, changeId })
        return { response, id }
      }
      expect((await put()).response.status).toBe(200)

      // Another process's transaction holds the lock: writes wait 200 ms, then give up.
      const lock = await raw.transaction('write')
      const refused = await put()
      expect(refused.response.status).toBe(503)
      expect(refused.response.headers.get('retry-after')).toBe('1')
      expect(refused.response.headers.get('content-type')).toBe('application/problem+json')
      expect(((await refused.response.json()) as { type: string }).type).toBe('/api/problems/busy')
      // An autocommit write (an account and its session) is refused the same way.
      const bob = new TestClient((input, init) => gateway.app.request(input, init))
      const bobRefused = await bob.post('/api/auth/sign-up', {
        email: 'bob@example.com',
        password: 'correct horse battery',
      })
      expect(bobRefused.status).toBe(503)
      // Reads do not wait for the writer.
      expect((await ada.get('/api/auth/session')).status).toBe(200)
      await lock.rollback()

      // The gateway goes on writing. Autocommit writes first: a connection that once hit
      // SQLITE_BUSY can acknowledge those without committing them (libsql-client-ts#352).
      const statuses: number[] = []
      const bobSignUp = await bob.post('/api/auth/sign-up', {
        email: 'bob@example.com',
        password: 'correct horse battery',
      })
      statuses.push(bobSignUp.status)
      const bobUser =
        bobSignUp.status === 201
          ? ((await bobSignUp.json()) as { user: { id: string } }).user
          : undefined
      const start = await ada.post('/api/blobs/uploads', { sha256: 'f'.repeat(64), bytes: 10 })
      statuses.push(start.status)
      const upload =
        start.status === 201
          ? ((await start.json()) as { upload: { id: string } }).upload
          : undefined
      let received = 0
      if (upload) {
        const chunk = await ada.put(`/api/blobs/uploads/${upload.id}?offset=0`, new Uint8Array(4))
        statuses.push(chunk.status)
        if (chunk.status === 200) received = 4
      }
      for (let i = 0; i < 20; i++) statuses.push((await put()).response.status)
      const push = await ada.post('/api/sync/push', {
        deviceId: 'laptop-0001',
        changes: Array.from({ length: 10 }, () => ({
          kind: 'recipe',
          id: randomUUID(),
          changeId: randomUUID(),
          baseSeq: null,
          deleted: false,
          data: recipe(),
        })),
      })
      statuses.push(push.status)
      const sent =
        push.status === 200
          ? ((await push.json()) as { outcomes: { id: string }[] }).outcomes.map((o) => o.id)
          : []

      gateway.close()
      raw.close()

      // Everything acknowledged is in the file, seen through a new connection.
      const db = await Db.open({ url })
      try {
        const users = await db.execute('SELECT id FROM users')
        const ids = users.rows.map((row) => String(row.id))
        expect(ids).toContain(user.id)
        if (bobUser) {
          expect(ids).toContain(bobUser.id)
          const sessions = await db.execute(
            'SELECT count(*) AS n FROM sessions WHERE user_id = ?',
            [bobUser.id],
          )
          expect(Number(sessions.rows[0]?.n)).toBe(1)
        }
        if (upload) {
          const uploads = await db.execute('SELECT received FROM uploads WHERE id = ?', [upload.id])
          expect(uploads.rows.map((row) => Number(row.received))).toEqual([received])
        }
      } finally {
        db.close()
      }
      const onDisk = await recordsOnDisk(user.id)
      for (const { id, changeId } of acked) expect(onDisk.get(id)?.changeId, id).toBe(changeId)
      for (const id of sent) expect(onDisk.has(id), id).toBe(true)
      expect(onDisk.has(refused.id)).toBe(false)
      expect(onDisk.size).toBe(acked.length + sent.length)
      // And once the lock is gone, nothing is refused.
      expect(statuses.filter((status) => status < 200 || status > 299)).toEqual([])
    } finally {
      gateway.close()
      raw.close()
    }
  })
})

describe('Db.open', () => {
  const lockFile = () => `${file}.writer.lock`

  it('refuses a second writer on the same file in this process', async () => {
    const db = await Db.open({ url })
    try {
      await expect(Db.open({ url })).rejects.toThrow(/already open in this process/)
      await expect(open()).rejects.toThrow(/already open in this process/)
      expect(readFileSync(lockFile(), 'utf8')).toBe(String(process.pid))
    } finally {
      db.close()
    }
    expect(existsSync(lockFile())).toBe(false)
    const again = await Db.open({ url })
    again.close()
  })

  it('takes over a lock left by a process that is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', ''])
    expect(gone.status).toBe(0)
    writeFileSync(lockFile(), String(gone.pid))
    const db = await Db.open({ url })
    expect(readFileSync(lockFile(), 'utf8')).toBe(String(process.pid))
    await db.execute('CREATE TABLE t (x INTEGER)')
    db.close()
    expect(existsSync(lockFile())).toBe(false)
  })

  it('takes over a lock with its own pid that it does not hold (a leftover after pid reuse)', async () => {
    writeFileSync(lockFile(), String(process.pid))
    const db = await Db.open({ url })
    db.close()
    expect(existsSync(lockFile())).toBe(false)
  })

  it('refuses a file another live process writes', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    const exited = new Promise((resolve) => other.on('exit', resolve))
    try {
      writeFileSync(lockFile(), String(other.pid))
      await expect(Db.open({ url })).rejects.toThrow(`Another gateway process (pid ${other.pid})`)
      expect(readFileSync(lockFile(), 'utf8')).toBe(String(other.pid))
    } finally {
      other.kill()
      await exited
    }
    const db = await Db.open({ url })
    db.close()
  })
})

describe('migrate', () => {
  const shipped = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

  it('applies every migration on a fresh database once', async () => {
    const db = await Db.open({ url })
    try {
      expect(await migrate(db)).toEqual(['init', 'telemetry', 'monitoring', 'alerts'])
      const { rows } = await db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      )
      expect(rows.map((row) => row.name)).toEqual([
        '_migrations',
        'alerts',
        'blobs',
        'inference_minutes',
        'monitor_minutes',
        'records',
        'sessions',
        'telemetry_events',
        'telemetry_issues',
        'uploads',
        'user_blobs',
        'users',
      ])
      const applied = await db.execute('SELECT id, name FROM _migrations')
      expect(applied.rows.map((row) => [Number(row.id), row.name])).toEqual([
        [1, 'init'],
        [2, 'telemetry'],
        [3, 'monitoring'],
        [4, 'alerts'],
      ])
      expect(await migrate(db)).toEqual([])
      expect(await isMigrated(db)).toBe(true)
      const wal = await db.execute('PRAGMA journal_mode')
      expect(wal.rows[0]?.journal_mode).toBe('wal')
    } finally {
      db.close()
    }
  })

  it('rolls a failing migration back whole and leaves the database usable', async () => {
    const migrations = path.join(dir, 'migrations')
    mkdirSync(migrations)
    copyFileSync(path.join(shipped, '001-init.sql'), path.join(migrations, '001-init.sql'))
    writeFileSync(
      path.join(migrations, '002-broken.sql'),
      'CREATE TABLE extra (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n',
    )
    const db = await Db.open({ url })
    try {
      await expect(migrate(db, migrations)).rejects.toThrow('Migration 2-broken failed')
      expect(await isMigrated(db, migrations)).toBe(false)
      const extra = await db.execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'extra'")
      expect(Number(extra.rows[0]?.n)).toBe(0)
      // Not stuck inside the failed migration's transaction: this write commits.
      await db.execute(
        "INSERT INTO users (id, email, password_hash, role, created_at) VALUES ('u1', 'a@b.c', 'x', 'admin', 1)",
      )
    } finally {
      db.close()
    }
    const again = await Db.open({ url })
    try {
      const users = await again.execute('SELECT id FROM users')
      expect(users.rows.map((row) => row.id)).toEqual(['u1'])
      writeFileSync(path.join(migrations, '002-broken.sql'), 'CREATE TABLE extra (x INTEGER);\n')
      expect(await migrate(again, migrations)).toEqual(['broken'])
      expect(await isMigrated(again, migrations)).toBe(true)
    } finally {
      again.close()
    }
  })
})
