import type { Row } from '@libsql/client'
import type { Db } from './client'

/** One alert episode: from the moment its condition started until it cleared. */
export interface Alert {
  id: number
  rule: string
  key: string
  title: string
  detail: string
  value: number | null
  startedAt: number
  resolvedAt: number | null
}

/** An alert with whether the webhook has had its notices. */
export interface StoredAlert extends Alert {
  sentFiring: boolean
  sentResolved: boolean
}

/** The alert without its delivery flags, as the API and the webhook show it. */
export const publicAlert = ({ sentFiring: _f, sentResolved: _r, ...alert }: StoredAlert): Alert =>
  alert

const toAlert = (row: Row): StoredAlert => ({
  id: Number(row.id),
  rule: String(row.rule),
  key: String(row.key),
  title: String(row.title),
  detail: String(row.detail),
  value: row.value === null ? null : Number(row.value),
  startedAt: Number(row.started_at),
  resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
  sentFiring: Number(row.sent_firing) === 1,
  sentResolved: Number(row.sent_resolved) === 1,
})

export const alerts = (db: Db) => ({
  async open(): Promise<StoredAlert[]> {
    const { rows } = await db.execute(
      'SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY started_at DESC',
    )
    return rows.map(toAlert)
  },

  /** Opens an alert; returns it, or undefined when one is already open for this rule and key. */
  async start(
    alert: { rule: string; key: string; title: string; detail: string; value?: number },
    now: number,
  ): Promise<StoredAlert | undefined> {
    const { rows } = await db.execute(
      `INSERT INTO alerts (rule, key, title, detail, value, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (rule, key) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
      [alert.rule, alert.key, alert.title, alert.detail, alert.value ?? null, now, now],
    )
    return rows[0] ? toAlert(rows[0]) : undefined
  },

  /** Keeps an open alert's figures current while it fires. */
  async refresh(id: number, detail: string, value: number | undefined, now: number) {
    await db.execute('UPDATE alerts SET detail = ?, value = ?, updated_at = ? WHERE id = ?', [
      detail,
      value ?? null,
      now,
      id,
    ])
  },

  async resolve(id: number, now: number) {
    await db.execute(
      'UPDATE alerts SET resolved_at = ?, updated_at = ? WHERE id = ? AND resolved_at IS NULL',
      [now, now, id],
    )
  },

  /**
   * Takes a notice for sending; false when it was already taken (by another gateway sharing the
   * database), so each notice goes out once. `release` gives it back after a failed send.
   */
  async claim(id: number, notice: 'firing' | 'resolved'): Promise<boolean> {
    const column = notice === 'firing' ? 'sent_firing' : 'sent_resolved'
    const { rowsAffected } = await db.execute(
      `UPDATE alerts SET ${column} = 1 WHERE id = ? AND ${column} = 0`,
      [id],
    )
    return rowsAffected === 1
  },

  async release(id: number, notice: 'firing' | 'resolved') {
    const column = notice === 'firing' ? 'sent_firing' : 'sent_resolved'
    await db.execute(`UPDATE alerts SET ${column} = 0 WHERE id = ?`, [id])
  },

  /** Notices the webhook has not accepted yet, oldest first. */
  async unsent(): Promise<StoredAlert[]> {
    const { rows } = await db.execute(
      `SELECT * FROM alerts WHERE sent_firing = 0 OR (resolved_at IS NOT NULL AND sent_resolved = 0)
       ORDER BY updated_at LIMIT 100`,
    )
    return rows.map(toAlert)
  },

  /** Newest first. */
  async history(limit = 100): Promise<StoredAlert[]> {
    const { rows } = await db.execute(
      'SELECT * FROM alerts ORDER BY started_at DESC, id DESC LIMIT ?',
      [limit],
    )
    return rows.map(toAlert)
  },

  async prune(before: number): Promise<number> {
    const { rowsAffected } = await db.execute(
      'DELETE FROM alerts WHERE resolved_at IS NOT NULL AND resolved_at < ?',
      [before],
    )
    return rowsAffected
  },
})

export type Alerts = ReturnType<typeof alerts>
