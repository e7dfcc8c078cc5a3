import type { Db } from './client'
import type { User } from './users'

export const sessions = (db: Db) => ({
  async create(tokenHash: string, userId: string, expiresAt: number): Promise<void> {
    await db.execute(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      [tokenHash, userId, Date.now(), expiresAt],
    )
  },

  /** The session's user when the session is live and the account enabled. */
  async user(
    tokenHash: string,
    now = Date.now(),
  ): Promise<(User & { expiresAt: number }) | undefined> {
    const { rows } = await db.execute(
      `SELECT u.id, u.email, u.role, u.disabled, u.created_at, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
      [tokenHash, now],
    )
    const row = rows[0]
    if (!row) return undefined
    return {
      id: String(row.id),
      email: String(row.email),
      role: row.role === 'admin' ? 'admin' : 'user',
      disabled: false,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    }
  },

  async extend(tokenHash: string, expiresAt: number): Promise<void> {
    await db.execute('UPDATE sessions SET expires_at = ? WHERE token_hash = ?', [
      expiresAt,
      tokenHash,
    ])
  },

  async remove(tokenHash: string): Promise<void> {
    await db.execute('DELETE FROM sessions WHERE token_hash = ?', [tokenHash])
  },

  async purgeExpired(now = Date.now()): Promise<number> {
    const { rowsAffected } = await db.execute('DELETE FROM sessions WHERE expires_at <= ?', [now])
    return rowsAffected
  },
})

export type Sessions = ReturnType<typeof sessions>
