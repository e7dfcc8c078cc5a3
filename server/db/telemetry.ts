import type { Grouping } from '../telemetry/fingerprint'
import type { Db } from './client'

/** An error issue: events grouped by fingerprint. */
export interface TelemetryIssue {
  id: number
  type: string
  title: string
  culprit?: string
  level?: string
  count: number
  users: number
  releases: string[]
  firstSeen: number
  lastSeen: number
}

export const telemetry = (db: Db) => ({
  /** Stores an event under its issue (created on first sight); a repeated event id is ignored. */
  async record(
    grouping: Grouping,
    event: {
      eventId: string
      level?: string
      release?: string
      environment?: string
      userKey?: string
      payload: string
    },
    now = Date.now(),
  ): Promise<void> {
    await db.batch([
      {
        sql: `INSERT INTO telemetry_issues (fingerprint, type, title, culprit, level, first_seen, last_seen)
              VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING`,
        args: [
          grouping.fingerprint,
          grouping.type,
          grouping.title,
          grouping.culprit ?? null,
          event.level ?? null,
          now,
          now,
        ],
      },
      {
        sql: `INSERT INTO telemetry_events (event_id, issue_id, received_at, release, environment, user_key, payload)
              VALUES (?, (SELECT id FROM telemetry_issues WHERE fingerprint = ?), ?, ?, ?, ?, ?)
              ON CONFLICT (event_id) DO NOTHING`,
        args: [
          event.eventId,
          grouping.fingerprint,
          now,
          event.release ?? null,
          event.environment ?? null,
          event.userKey ?? null,
          event.payload,
        ],
      },
      {
        sql: `UPDATE telemetry_issues SET
                count = (SELECT count(*) FROM telemetry_events WHERE issue_id = telemetry_issues.id),
                last_seen = max(last_seen, ?)
              WHERE fingerprint = ?`,
        args: [now, grouping.fingerprint],
      },
    ])
  },

  async issues(limit = 100): Promise<TelemetryIssue[]> {
    const { rows } = await db.execute(
      `SELECT i.*,
         (SELECT count(DISTINCT user_key) FROM telemetry_events e WHERE e.issue_id = i.id) AS users,
         (SELECT json_group_array(DISTINCT release) FROM telemetry_events e
            WHERE e.issue_id = i.id AND release IS NOT NULL) AS releases
       FROM telemetry_issues i ORDER BY i.last_seen DESC LIMIT ?`,
      [limit],
    )
    return rows.map((row) => ({
      id: Number(row.id),
      type: String(row.type),
      title: String(row.title),
      culprit: row.culprit === null ? undefined : String(row.culprit),
      level: row.level === null ? undefined : String(row.level),
      count: Number(row.count),
      users: Number(row.users),
      releases: JSON.parse(String(row.releases)) as string[],
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
    }))
  },

  /** Issues with events since `from`: when each was first seen and how many events it had since. */
  async activeSince(
    from: number,
  ): Promise<{ id: number; type: string; title: string; firstSeen: number; events: number }[]> {
    const { rows } = await db.execute(
      `SELECT i.id, i.type, i.title, i.first_seen, count(*) AS events
       FROM telemetry_events e JOIN telemetry_issues i ON i.id = e.issue_id
       WHERE e.received_at >= ? GROUP BY i.id ORDER BY i.first_seen DESC LIMIT 100`,
      [from],
    )
    return rows.map((row) => ({
      id: Number(row.id),
      type: String(row.type),
      title: String(row.title),
      firstSeen: Number(row.first_seen),
      events: Number(row.events),
    }))
  },

  /** An issue's latest events, newest first, with their stored payloads. */
  async events(
    issueId: number,
    limit = 20,
  ): Promise<{ eventId: string; receivedAt: number; payload: unknown }[]> {
    const { rows } = await db.execute(
      'SELECT event_id, received_at, payload FROM telemetry_events WHERE issue_id = ? ORDER BY received_at DESC LIMIT ?',
      [issueId, limit],
    )
    return rows.map((row) => ({
      eventId: String(row.event_id),
      receivedAt: Number(row.received_at),
      payload: JSON.parse(String(row.payload)) as unknown,
    }))
  },
})

export type Telemetry = ReturnType<typeof telemetry>
