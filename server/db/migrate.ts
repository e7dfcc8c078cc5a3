import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Db } from './client'

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** The migrations shipped with this build, oldest first: `NNN-name.sql`. */
export function listMigrations(dir = migrationsDir): { id: number; name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      id: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }))
}

/** Applies every migration not yet applied, each in its own transaction; returns their names. */
export async function migrate(db: Db, dir = migrationsDir): Promise<string[]> {
  await db.execute(
    'CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
  )
  const { rows } = await db.execute('SELECT id FROM _migrations')
  const applied = new Set(rows.map((row) => Number(row.id)))
  const done: string[] = []
  for (const migration of listMigrations(dir)) {
    if (applied.has(migration.id)) continue
    const record = `INSERT INTO _migrations (id, name, applied_at) VALUES (${migration.id}, '${migration.name}', ${Date.now()});`
    try {
      await db.executeMultiple(`BEGIN;\n${migration.sql}\n${record}\nCOMMIT;`)
    } catch (error) {
      await db.executeMultiple('ROLLBACK').catch(() => {
        // Nothing to roll back: the failure came before BEGIN took effect.
      })
      throw new Error(`Migration ${migration.id}-${migration.name} failed`, { cause: error })
    }
    done.push(migration.name)
  }
  return done
}

/** Whether every shipped migration has been applied (for readiness checks). */
export async function isMigrated(db: Db, dir = migrationsDir): Promise<boolean> {
  const { rows } = await db.execute('SELECT max(id) AS id FROM _migrations')
  const latest = listMigrations(dir).at(-1)?.id ?? 0
  return Number(rows[0]?.id ?? 0) >= latest
}
