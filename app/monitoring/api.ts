import type { InferResponseType } from 'hono/client'
import { call, NetworkError, toGatewayError, type GatewayClient } from '../_data/sync/gateway'

type Rpc = GatewayClient['rpc']

/** `GET /api/admin/monitoring/series`: points only for steps with data, sorted by `t` (ms). */
export type Series = InferResponseType<Rpc['admin']['monitoring']['series']['$get'], 200>
/** One step of the gateway's own figures; latency is null for a step without requests. */
export type GatewayPoint = Series['gateway'][number]
/** One step of the browsers' inference figures for one task, model and provider. */
export type InferencePoint = Series['inference'][number]

/** `GET /api/admin/alerts`: the rules, what fires now, and the last 100 alerts, newest first. */
export type Alerts = InferResponseType<Rpc['admin']['alerts']['$get'], 200>
/** One alert episode, from when its condition started until it cleared. */
export type Alert = Alerts['firing'][number]

/** `GET /api/ready`, which answers 503 with the same body when a check fails. */
export type Readiness = InferResponseType<Rpc['ready']['$get'], 200>

/** The time ranges the Performance tab offers, in hours, as the series API takes them. */
export const rangeHours = [1, 6, 24, 168] as const
export type RangeHours = (typeof rangeHours)[number]

export const fetchSeries = (api: GatewayClient, hours: RangeHours, signal: AbortSignal) =>
  call(() =>
    api.rpc.admin.monitoring.series.$get(
      { query: { hours: String(hours) as `${RangeHours}` } },
      { init: { signal } },
    ),
  )

export const fetchAlerts = (api: GatewayClient, signal: AbortSignal) =>
  call(() => api.rpc.admin.alerts.$get(undefined, { init: { signal } }))

/** The readiness checks; a 503 (some check failing) is an answer here, not an error. */
export async function fetchReadiness(api: GatewayClient, signal: AbortSignal): Promise<Readiness> {
  let response: Awaited<ReturnType<Rpc['ready']['$get']>>
  try {
    response = await api.rpc.ready.$get(undefined, { init: { signal } })
  } catch (cause) {
    if (signal.aborted) throw cause
    throw new NetworkError('Could not reach the server', { cause })
  }
  if (response.status !== 200 && response.status !== 503) throw await toGatewayError(response)
  return response.json()
}
