const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** Bytes as a short human size with decimal units (1 KB = 1000 B), as file managers show. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${value.toFixed(digits)} ${units[unit]}`
}

/** A duration in milliseconds as "about 3 min" / "about 20 s" / "a moment". */
export function formatEta(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 2) return 'a moment'
  if (s < 60) return `about ${s} s`
  const min = Math.round(s / 60)
  if (min < 60) return `about ${min} min`
  return `about ${Math.round(min / 6) / 10} h`
}

/** Megapixels with one decimal. */
export function formatMegapixels(width: number, height: number): string {
  return `${((width * height) / 1e6).toFixed(1)} MP`
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatDateTime(epochMs: number): string {
  return dateTime.format(new Date(epochMs))
}
