import type { Alert } from '../db/alerts'

export class WebhookError extends Error {
  override name = 'WebhookError'
}

const duration = (ms: number) => {
  const minutes = Math.max(1, Math.round(ms / 60_000))
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`
}

/** The JSON body of a notice: Slack's `text` (mrkdwn), plus the alert for other receivers. */
export function noticeBody(notice: 'firing' | 'resolved', alert: Alert) {
  const text =
    notice === 'firing'
      ? `:red_circle: *${alert.title}*\n${alert.detail}`
      : `:large_green_circle: Resolved: *${alert.title}* (after ${duration((alert.resolvedAt ?? alert.startedAt) - alert.startedAt)})`
  return { text, status: notice, alert }
}

/** POSTs one notice; throws `WebhookError` unless the receiver answers 2xx within 5 s. */
export async function sendNotice(
  url: string,
  notice: 'firing' | 'resolved',
  alert: Alert,
): Promise<void> {
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(noticeBody(notice, alert)),
      signal: AbortSignal.timeout(5000),
    })
  } catch (error) {
    throw new WebhookError('The alert webhook could not be reached', { cause: error })
  }
  await response.body?.cancel()
  if (!response.ok) throw new WebhookError(`The alert webhook answered ${response.status}`)
}
