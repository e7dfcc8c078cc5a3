'use client'

import { BarChart, LineChart } from '@mantine/charts'
import {
  Card,
  Chip,
  EmptyState,
  Group,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { IconChartDots, IconCpu } from '@tabler/icons-react'
import { useCallback, useMemo, useState, type ReactNode } from 'react'
import { useAccount } from '../_hooks/use-account'
import { formatBytes } from '../_lib/format'
import { fetchSeries, rangeHours, type RangeHours, type Series } from './api'
import { Freshness, LoadError } from './panel-status'
import {
  formatMs,
  formatStep,
  gatewayRows,
  gatewayTotals,
  inferenceChart,
  timeLabeller,
  type InferenceLine,
} from './series'
import { usePolled } from './use-polled'

const rangeLabels: Record<RangeHours, string> = { 1: '1 h', 6: '6 h', 24: '24 h', 168: '7 d' }
const lineColors = [
  'blue.6',
  'teal.6',
  'grape.6',
  'orange.6',
  'cyan.6',
  'pink.6',
  'lime.7',
  'indigo.6',
]
/** Lines drawn until the admin picks others: more are hard to tell apart. */
const defaultLineCount = 4
const chartHeight = 220
const xAxisProps = { interval: 'preserveStartEnd' as const, minTickGap: 24 }
const count = (value: number) => value.toLocaleString()

/** The gateway's and the browsers' figures over a chosen time range, as charts. */
export function PerformancePanel() {
  const { api } = useAccount()
  const [hours, setHours] = useState<RangeHours>(1)
  const series = usePolled(useCallback((signal) => fetchSeries(api, hours, signal), [api, hours]))

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Time range"
          value={String(hours)}
          onChange={(value) => setHours(Number(value) as RangeHours)}
          data={rangeHours.map((value) => ({ value: String(value), label: rangeLabels[value] }))}
        />
        <Freshness polled={series} />
      </Group>
      <LoadError what="the figures" polled={series} />
      {!series.data && !series.error && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          {[0, 1, 2, 3].map((key) => (
            <Skeleton key={key} h={chartHeight + 60} />
          ))}
        </SimpleGrid>
      )}
      {series.data && <GatewayCharts series={series.data} hours={hours} />}
      {series.data && <InferenceCharts series={series.data} hours={hours} />}
    </Stack>
  )
}

function ChartCard({
  title,
  note,
  testId,
  children,
}: {
  title: string
  note?: string
  testId: string
  children: ReactNode
}) {
  return (
    <Card withBorder data-testid={testId}>
      <Stack gap="xs">
        <div>
          <Title order={3} fz="md">
            {title}
          </Title>
          {note && (
            <Text fz="xs" c="dimmed">
              {note}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Card>
  )
}

function GatewayCharts({ series, hours }: { series: Series; hours: RangeHours }) {
  const rows = useMemo(() => gatewayRows(series, timeLabeller(hours)), [series, hours])
  const totals = gatewayTotals(series.gateway)
  const step = formatStep(series.stepMs)

  if (series.gateway.length === 0) {
    return (
      <EmptyState
        icon={<IconChartDots size={32} />}
        variant="light"
        title="No gateway figures in this range"
        description="The gateway records its requests, errors, latency and sync volume once a minute while it runs."
        py="xl"
      />
    )
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <ChartCard
        title="Errors"
        note={`Per ${step}: ${count(totals.serverErrors)} server errors (5xx) and ${count(totals.clientErrors)} app errors reported in this range, of ${count(totals.requests)} requests.`}
        testId="chart-errors"
      >
        <BarChart
          h={chartHeight}
          data={rows}
          dataKey="label"
          type="stacked"
          withLegend
          xAxisProps={xAxisProps}
          valueFormatter={count}
          series={[
            { name: 'serverErrors', label: 'Server errors (5xx)', color: 'red.6' },
            { name: 'clientErrors', label: 'App errors', color: 'orange.5' },
          ]}
        />
      </ChartCard>
      <ChartCard
        title="Gateway latency"
        note={`p50 and p95 of the gateway's answer time per ${step}.`}
        testId="chart-latency"
      >
        <LineChart
          h={chartHeight}
          data={rows}
          dataKey="label"
          withLegend
          connectNulls={false}
          dotProps={{ r: 3 }}
          curveType="linear"
          xAxisProps={xAxisProps}
          valueFormatter={formatMs}
          series={[
            { name: 'p95Ms', label: 'p95', color: 'violet.6' },
            { name: 'p50Ms', label: 'p50', color: 'blue.5' },
          ]}
        />
      </ChartCard>
      <ChartCard
        title="Sync volume"
        note={`Bytes per ${step}: ${formatBytes(totals.syncInBytes)} up and ${formatBytes(totals.syncOutBytes)} down in this range.`}
        testId="chart-sync"
      >
        <BarChart
          h={chartHeight}
          data={rows}
          dataKey="label"
          withLegend
          xAxisProps={xAxisProps}
          valueFormatter={formatBytes}
          yAxisProps={{ width: 72 }}
          series={[
            { name: 'syncInBytes', label: 'Up (to the server)', color: 'teal.6' },
            { name: 'syncOutBytes', label: 'Down (to devices)', color: 'blue.6' },
          ]}
        />
      </ChartCard>
      <ChartCard
        title="Sync failures"
        note={`Sync and file calls answered 5xx, 400, 413 or 422, per ${step}: ${count(totals.syncFailures)} in this range.`}
        testId="chart-sync-failures"
      >
        <BarChart
          h={chartHeight}
          data={rows}
          dataKey="label"
          xAxisProps={xAxisProps}
          valueFormatter={count}
          series={[{ name: 'syncFailures', label: 'Failed calls', color: 'red.6' }]}
        />
      </ChartCard>
    </SimpleGrid>
  )
}

function InferenceCharts({ series, hours }: { series: Series; hours: RangeHours }) {
  const { lines, rows } = useMemo(
    () => inferenceChart(series, timeLabeller(hours)),
    [series, hours],
  )
  // null: the admin has not chosen; show the busiest lines, including ones that appear later.
  const [chosen, setChosen] = useState<string[] | null>(null)
  const shown = chosen ?? lines.slice(0, defaultLineCount).map((line) => line.key)
  const colorOf = (line: InferenceLine) => lineColors[lines.indexOf(line) % lineColors.length]

  if (lines.length === 0) {
    return (
      <ChartCard title="Inference latency" testId="chart-inference">
        <EmptyState
          icon={<IconCpu size={32} />}
          variant="light"
          title="No inference figures yet"
          description="They arrive when people who opted in to sending performance figures run analyses."
          py="lg"
        />
      </ChartCard>
    )
  }
  return (
    <ChartCard
      title="Inference latency"
      note={`p95 (solid) and p50 (dashed) analysis time per ${formatStep(series.stepMs)}, from devices whose owners opted in.`}
      testId="chart-inference"
    >
      <Chip.Group multiple value={shown} onChange={setChosen}>
        <Group gap="xs" role="group" aria-label="Lines shown">
          {lines.map((line) => (
            <Chip key={line.key} value={line.key} size="xs" color={colorOf(line)}>
              {line.key}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <LineChart
        h={chartHeight + 60}
        data={rows}
        dataKey="label"
        connectNulls={false}
        dotProps={{ r: 3 }}
        curveType="linear"
        xAxisProps={xAxisProps}
        valueFormatter={formatMs}
        series={lines
          .filter((line) => shown.includes(line.key))
          .flatMap((line) => [
            { name: line.p95Field, label: `${line.key} p95`, color: colorOf(line) },
            {
              name: line.p50Field,
              label: `${line.key} p50`,
              color: colorOf(line),
              strokeDasharray: '4 3',
            },
          ])}
      />
      <Table.ScrollContainer minWidth={480}>
        <Table aria-label="Inference runs" verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Task · model · provider</Table.Th>
              <Table.Th ta="right">Runs</Table.Th>
              <Table.Th ta="right">Failed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((line) => (
              <Table.Tr key={line.key}>
                <Table.Td>{line.key}</Table.Td>
                <Table.Td ta="right">{count(line.runs)}</Table.Td>
                <Table.Td ta="right">
                  {count(line.failures)}
                  {line.runs > 0 && line.failures > 0 && (
                    <Text span fz="xs" c="dimmed">
                      {' '}
                      ({Math.round((line.failures / line.runs) * 100)} %)
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </ChartCard>
  )
}
