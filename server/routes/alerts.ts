import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { publicAlert } from '../db/alerts'
import { describeRules, ruleIds } from '../monitoring/alert-rules'
import type { Alerting } from '../monitoring/alerting'
import type { GatewayEnv } from '../types'
import { jsonResponse, problemResponse } from './schemas'

const alert = z
  .object({
    id: z.number().int(),
    rule: z.string(),
    key: z.string(),
    title: z.string(),
    detail: z.string(),
    value: z.number().nullable(),
    startedAt: z.number().int(),
    resolvedAt: z.number().int().nullable(),
  })
  .openapi('Alert')

const overview = z
  .object({
    rules: z.array(
      z.object({
        id: z.enum(ruleIds),
        name: z.string(),
        description: z.string(),
        threshold: z.string(),
        firing: z.number().int(),
      }),
    ),
    firing: z.array(alert),
    history: z.array(alert),
    evaluatedAt: z.number().int().nullable(),
    intervalMs: z.number().int(),
    webhook: z.boolean(),
  })
  .openapi('AlertsOverview')

const adminOnly = {
  401: problemResponse('Not signed in'),
  403: problemResponse('Not an admin'),
}

const list = createRoute({
  method: 'get',
  tags: ['Monitoring'],
  path: '/alerts',
  summary: 'Alert rules with their thresholds, alerts firing now, and the last 100 alerts',
  responses: { 200: jsonResponse(overview, 'Alerts'), ...adminOnly },
})

const evaluate = createRoute({
  method: 'post',
  tags: ['Monitoring'],
  path: '/alerts/evaluate',
  summary: 'Run the alert rules now (they also run on a schedule)',
  responses: { 200: jsonResponse(overview, 'Alerts after the run'), ...adminOnly },
})

async function answer(c: Context<GatewayEnv>, alerting: Alerting) {
  const { store, config } = c.var
  const [open, history] = await Promise.all([store.alerts.open(), store.alerts.history()])
  const rules = describeRules(config.alerts).map((rule) => ({
    ...rule,
    firing: open.filter((item) => item.rule === rule.id).length,
  }))
  return c.json(
    {
      rules,
      firing: open.map(publicAlert),
      history: history.map(publicAlert),
      evaluatedAt: alerting.evaluatedAt ?? null,
      intervalMs: config.alerts.intervalMs,
      webhook: config.alerts.webhookUrl !== undefined,
    },
    200,
  )
}

/** Mounted under `/admin`, behind `requireAdmin`. */
export const alerts = (alerting: Alerting) =>
  new OpenAPIHono<GatewayEnv>()
    .openapi(list, (c) => answer(c, alerting))
    .openapi(evaluate, async (c) => {
      await alerting.evaluate()
      return answer(c, alerting)
    })
