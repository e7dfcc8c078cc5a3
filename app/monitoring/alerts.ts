import type { Alert, Alerts } from './api'

/** A duration in milliseconds, rounded down to what a person needs: "40 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s} s`
  const min = Math.floor(s / 60)
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`
}

/** How long an alert fired: until it resolved, or until `now` while it still fires. */
export const alertDuration = (alert: Alert, now: number) =>
  (alert.resolvedAt ?? now) - alert.startedAt

/** Alert ids this browser has already shown a notice for. */
export interface Announced {
  firing: number[]
  resolved: number[]
}

export const nothingAnnounced: Announced = { firing: [], resolved: [] }

/**
 * What to tell the admin after a poll: alerts firing that have not been announced, and announced
 * alerts that have since resolved (one notice each, however often it polls). Ids no longer in the
 * answer are forgotten, so `announced` stays as small as the history.
 */
export function noticesFor(
  answer: Pick<Alerts, 'firing' | 'history'>,
  announced: Announced,
): { started: Alert[]; resolved: Alert[]; announced: Announced } {
  const wasFiring = new Set(announced.firing)
  const wasResolved = new Set(announced.resolved)
  const started = answer.firing.filter((alert) => !wasFiring.has(alert.id))
  const resolved = answer.history.filter(
    (alert) => alert.resolvedAt !== null && wasFiring.has(alert.id) && !wasResolved.has(alert.id),
  )
  const known = new Set([...answer.firing, ...answer.history].map((alert) => alert.id))
  return {
    started,
    resolved,
    announced: {
      firing: [
        ...announced.firing.filter((id) => known.has(id)),
        ...started.map((alert) => alert.id),
      ],
      resolved: [
        ...announced.resolved.filter((id) => known.has(id)),
        ...resolved.map((alert) => alert.id),
      ],
    },
  }
}
