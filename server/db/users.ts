import type { Row } from '@libsql/client'
import type { Db } from './client'

export type Role = 'user' | 'admin'

/** An account as the API shows it (never the password hash). */
export interface User {
  id: string
  email: string
  role: Role
  disabled: boolean
  createdAt: number
}

/** An account with what it keeps on the gateway, for the admin screen. */
export interface UserUsage extends User {
  storageBytes: number
  records: number
}

const toUser = (row: Row): User => ({
  id: String(row.id),
  email: String(row.email),
  role: row.role === 'admin' ? 'admin' : 'user',
  disabled: Number(row.disabled) === 1,
  createdAt: Number(row.created_at),
})

export const users = (db: Db) => ({
  /**
   * Creates an account; the first account ever created is the admin. With `onlyFirst`, creates it
   * only when there is no account yet. Undefined when nothing was created.
   */
  async create(
    input: { id: string; email: string; passwordHash: string },
    onlyFirst = false,
  ): Promise<User | undefined> {
    const { rows } = await db.execute(
      `INSERT INTO users (id, email, password_hash, role, created_at)
       SELECT ?, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END, ?
       WHERE ? = 0 OR NOT EXISTS (SELECT 1 FROM users)
       ON CONFLICT (email) DO NOTHING
       RETURNING *`,
      [input.id, input.email, input.passwordHash, Date.now(), onlyFirst ? 1 : 0],
    )
    return rows[0] ? toUser(rows[0]) : undefined
  },

  async count(): Promise<number> {
    const { rows } = await db.execute('SELECT count(*) AS n FROM users')
    return Number(rows[0]?.n ?? 0)
  },

  async byEmail(email: string): Promise<(User & { passwordHash: string }) | undefined> {
    const { rows } = await db.execute('SELECT * FROM users WHERE email = ?', [email])
    const row = rows[0]
    return row ? { ...toUser(row), passwordHash: String(row.password_hash) } : undefined
  },

  async byId(id: string): Promise<(User & { passwordHash: string }) | undefined> {
    const { rows } = await db.execute('SELECT * FROM users WHERE id = ?', [id])
    const row = rows[0]
    return row ? { ...toUser(row), passwordHash: String(row.password_hash) } : undefined
  },

  /** Sets a new password hash and ends every session but `keepSessionHash`. */
  async setPassword(id: string, passwordHash: string, keepSessionHash: string): Promise<void> {
    await db.batch([
      { sql: 'UPDATE users SET password_hash = ? WHERE id = ?', args: [passwordHash, id] },
      {
        sql: 'DELETE FROM sessions WHERE user_id = ? AND token_hash != ?',
        args: [id, keepSessionHash],
      },
    ])
  },

  /** Disables or enables an account; disabling ends its sessions at once. */
  async setDisabled(id: string, disabled: boolean): Promise<User | undefined> {
    const [updated] = await db.batch([
      {
        sql: 'UPDATE users SET disabled = ? WHERE id = ? RETURNING *',
        args: [disabled ? 1 : 0, id],
      },
      ...(disabled ? [{ sql: 'DELETE FROM sessions WHERE user_id = ?', args: [id] }] : []),
    ])
    const row = updated?.rows[0]
    return row ? toUser(row) : undefined
  },

  /** Deletes an account and everything it owns (files nobody else keeps go at the next sweep). */
  async remove(id: string): Promise<void> {
    // Foreign keys cascade from users to sessions, records, user_blobs and uploads.
    await db.execute('DELETE FROM users WHERE id = ?', [id])
  },

  async list(): Promise<UserUsage[]> {
    const { rows } = await db.execute(
      `SELECT u.*,
         (SELECT coalesce(sum(bytes), 0) FROM user_blobs WHERE user_id = u.id)
           + (SELECT coalesce(sum(bytes), 0) FROM records WHERE user_id = u.id) AS storage_bytes,
         (SELECT count(*) FROM records WHERE user_id = u.id AND deleted = 0) AS record_count
       FROM users u ORDER BY u.created_at`,
    )
    return rows.map((row) => ({
      ...toUser(row),
      storageBytes: Number(row.storage_bytes),
      records: Number(row.record_count),
    }))
  },

  /** Bytes of files and records an account keeps, and its live record count. */
  async usage(id: string): Promise<{ fileBytes: number; recordBytes: number; records: number }> {
    const { rows } = await db.execute(
      `SELECT (SELECT coalesce(sum(bytes), 0) FROM user_blobs WHERE user_id = ?1) AS file_bytes,
              (SELECT coalesce(sum(bytes), 0) FROM records WHERE user_id = ?1) AS record_bytes,
              (SELECT count(*) FROM records WHERE user_id = ?1 AND deleted = 0) AS records`,
      [id],
    )
    const row = rows[0]
    return {
      fileBytes: Number(row?.file_bytes ?? 0),
      recordBytes: Number(row?.record_bytes ?? 0),
      records: Number(row?.records ?? 0),
    }
  },
})

export type Users = ReturnType<typeof users>
