import type { Db } from './client'

/** A resumable upload in progress. */
export interface Upload {
  id: string
  userId: string
  sha256: string
  bytes: number
  received: number
  createdAt: number
}

const hour = 60 * 60 * 1000

export const blobs = (db: Db) => ({
  async owns(userId: string, sha256: string): Promise<number | undefined> {
    const { rows } = await db.execute(
      'SELECT bytes FROM user_blobs WHERE user_id = ? AND sha256 = ?',
      [userId, sha256],
    )
    return rows[0] ? Number(rows[0].bytes) : undefined
  },

  /** Bytes the user's files and records take, plus what their unfinished uploads will add. */
  async committedBytes(userId: string): Promise<number> {
    const { rows } = await db.execute(
      `SELECT (SELECT coalesce(sum(bytes), 0) FROM user_blobs WHERE user_id = ?1)
            + (SELECT coalesce(sum(bytes), 0) FROM uploads WHERE user_id = ?1)
            + (SELECT coalesce(sum(bytes), 0) FROM records WHERE user_id = ?1) AS bytes`,
      [userId],
    )
    return Number(rows[0]?.bytes ?? 0)
  },

  async createUpload(upload: Omit<Upload, 'received' | 'createdAt'>): Promise<Upload> {
    const now = Date.now()
    await db.execute(
      'INSERT INTO uploads (id, user_id, sha256, bytes, received, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)',
      [upload.id, upload.userId, upload.sha256, upload.bytes, now, now],
    )
    return { ...upload, received: 0, createdAt: now }
  },

  async upload(userId: string, id: string): Promise<Upload | undefined> {
    const { rows } = await db.execute('SELECT * FROM uploads WHERE id = ? AND user_id = ?', [
      id,
      userId,
    ])
    const row = rows[0]
    if (!row) return undefined
    return {
      id: String(row.id),
      userId: String(row.user_id),
      sha256: String(row.sha256),
      bytes: Number(row.bytes),
      received: Number(row.received),
      createdAt: Number(row.created_at),
    }
  },

  /** Ids of the user's unfinished uploads (their partial files go with the account). */
  async uploadIds(userId: string): Promise<string[]> {
    const { rows } = await db.execute('SELECT id FROM uploads WHERE user_id = ?', [userId])
    return rows.map((row) => String(row.id))
  },

  /** Moves an upload from `from` to `to` bytes received; false when another chunk got there first. */
  async advance(id: string, from: number, to: number): Promise<boolean> {
    const { rowsAffected } = await db.execute(
      'UPDATE uploads SET received = ?, updated_at = ? WHERE id = ? AND received = ?',
      [to, Date.now(), id, from],
    )
    return rowsAffected === 1
  },

  async removeUpload(id: string): Promise<void> {
    await db.execute('DELETE FROM uploads WHERE id = ?', [id])
  },

  /** Records a verified file as the user's and ends the upload, in one transaction. */
  async commit(userId: string, uploadId: string, sha256: string, bytes: number): Promise<void> {
    const now = Date.now()
    await db.batch([
      {
        sql: 'INSERT INTO blobs (sha256, bytes, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        args: [sha256, bytes, now],
      },
      {
        sql: 'INSERT INTO user_blobs (user_id, sha256, bytes, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        args: [userId, sha256, bytes, now],
      },
      { sql: 'DELETE FROM uploads WHERE id = ?', args: [uploadId] },
    ])
  },

  /** Uploads untouched for `maxAgeMs`, to be removed with their partial files. */
  async staleUploads(maxAgeMs = 24 * hour): Promise<string[]> {
    const { rows } = await db.execute('SELECT id FROM uploads WHERE updated_at < ?', [
      Date.now() - maxAgeMs,
    ])
    return rows.map((row) => String(row.id))
  },

  /**
   * Stops counting files a user uploaded more than `graceMs` ago that no live record of theirs
   * points at (uploaded for a record that was never pushed, or replaced since).
   */
  async releaseUnreferenced(graceMs = 24 * hour): Promise<number> {
    const { rowsAffected } = await db.execute(
      `DELETE FROM user_blobs WHERE created_at < ? AND NOT EXISTS (
         SELECT 1 FROM records r, json_each(r.blob_refs) j
         WHERE r.user_id = user_blobs.user_id AND r.deleted = 0 AND j.value = user_blobs.sha256)`,
      [Date.now() - graceMs],
    )
    return rowsAffected
  },

  /** Files no user keeps any more. */
  async orphans(limit = 500): Promise<string[]> {
    const { rows } = await db.execute(
      `SELECT sha256 FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM user_blobs u WHERE u.sha256 = b.sha256) LIMIT ?`,
      [limit],
    )
    return rows.map((row) => String(row.sha256))
  },

  /** Forgets a file if it is still an orphan; true when its bytes may be deleted. */
  async forgetOrphan(sha256: string): Promise<boolean> {
    const { rowsAffected } = await db.execute(
      'DELETE FROM blobs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM user_blobs WHERE sha256 = ?)',
      [sha256, sha256],
    )
    return rowsAffected === 1
  },
})

export type Blobs = ReturnType<typeof blobs>
