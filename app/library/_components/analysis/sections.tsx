'use client'

import {
  Badge,
  Box,
  Button,
  CopyButton,
  Group,
  Stack,
  Switch,
  Table,
  Text,
  Tooltip,
} from '@mantine/core'
import type { ResultOf } from '../../../../models'
import { shownFaces, shownLines, shownObjects } from '../../../_lib/shown-results'
import { joinText } from '../../../../models/text-recognition/postprocess'
import type { HighlightKey } from './use-image-analysis'
import classes from './analysis.module.css'

interface ListProps {
  minScore: number
  highlight: HighlightKey | null
  onHighlight(key: HighlightKey | null): void
}

function Row({
  itemKey,
  highlight,
  onHighlight,
  children,
}: {
  itemKey: HighlightKey
  highlight: HighlightKey | null
  onHighlight(key: HighlightKey | null): void
  children: React.ReactNode
}) {
  return (
    <Group
      className={classes.row}
      data-active={highlight === itemKey || undefined}
      justify="space-between"
      wrap="nowrap"
      gap="xs"
      tabIndex={0}
      onMouseEnter={() => onHighlight(itemKey)}
      onMouseLeave={() => onHighlight(null)}
      onFocus={() => onHighlight(itemKey)}
      onBlur={() => onHighlight(null)}
    >
      {children}
    </Group>
  )
}

const percent = (score: number) => `${Math.round(score * 100)}%`

export function ObjectsList({
  output,
  ...props
}: ListProps & { output: ResultOf<'object-detection'> }) {
  const shown = shownObjects(output, props.minScore)
  if (shown.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No objects at this confidence.
      </Text>
    )
  }
  return (
    <Stack gap={2} data-testid="objects-list">
      {shown.map(({ item: o, index: i }) => (
        <Row key={i} itemKey={`object-detection:${i}`} {...props}>
          <Text size="sm">{o.label}</Text>
          <Text size="sm" c="dimmed">
            {percent(o.score)}
          </Text>
        </Row>
      ))}
    </Stack>
  )
}

export function FacesList({
  output,
  showMesh,
  onShowMesh,
  ...props
}: ListProps & {
  output: ResultOf<'face-detection'>
  showMesh: boolean
  onShowMesh(show: boolean): void
}) {
  const shown = shownFaces(output, props.minScore)
  return (
    <Stack gap="xs">
      <Text size="sm" data-testid="face-count">
        {shown.length === 0
          ? 'No faces at this confidence.'
          : `${shown.length} ${shown.length === 1 ? 'face' : 'faces'}`}
      </Text>
      <Stack gap={2}>
        {shown.map(({ item: f, index: i }) => (
          <Row key={i} itemKey={`face-detection:${i}`} {...props}>
            <Text size="sm">Face {i + 1}</Text>
            <Text size="sm" c="dimmed">
              {percent(f.score)}
              {f.mesh ? ' · 468 landmarks' : ''}
            </Text>
          </Row>
        ))}
      </Stack>
      {output.faces.some((f) => f.mesh) && (
        <Switch
          size="xs"
          label="Show face mesh"
          checked={showMesh}
          onChange={(e) => onShowMesh(e.currentTarget.checked)}
        />
      )}
    </Stack>
  )
}

export function TextList({
  output,
  ...props
}: ListProps & { output: ResultOf<'text-recognition'> }) {
  const shown = shownLines(output, props.minScore)
  if (shown.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No text found.
      </Text>
    )
  }
  const text = joinText(shown.map(({ item }) => item))
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {shown.length} {shown.length === 1 ? 'line' : 'lines'}
        </Text>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy text'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Stack gap={2} data-testid="ocr-lines">
        {shown.map(({ item: l, index: i }) => (
          <Row key={i} itemKey={`text-recognition:${i}`} {...props}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {l.text}
            </Text>
            <Text size="xs" c="dimmed">
              {percent(l.score)}
            </Text>
          </Row>
        ))}
      </Stack>
    </Stack>
  )
}

export function PersonSummary({
  output,
  onExport,
}: {
  output: ResultOf<'person-segmentation'>
  onExport(kind: 'cutout' | 'blur'): void
}) {
  return (
    <Stack gap="xs">
      <Text size="sm">
        {output.coverage < 0.01
          ? 'No person found.'
          : `People cover ${percent(output.coverage)} of the image.`}
      </Text>
      <Group gap="xs">
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => onExport('cutout')}
          disabled={output.coverage < 0.01}
        >
          Cut-out PNG
        </Button>
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => onExport('blur')}
          disabled={output.coverage < 0.01}
        >
          Blur background
        </Button>
      </Group>
    </Stack>
  )
}

export function PropertiesSummary({ output }: { output: ResultOf<'image-properties'> }) {
  const rows: [string, React.ReactNode][] = [
    ['Brightness', percent(output.brightness)],
    ['Contrast', percent(output.contrast)],
    [
      'Exposure',
      output.exposure.verdict === 'ok' ? (
        'Good'
      ) : (
        <Badge color="orange" variant="light">
          {output.exposure.verdict === 'under' ? 'Underexposed' : 'Overexposed'}
        </Badge>
      ),
    ],
    [
      'Sharpness',
      <Group gap={6} key="sharpness">
        {output.sharpness.score.toFixed(0)}
        {output.sharpness.blurry && (
          <Badge color="orange" variant="light">
            Blurry
          </Badge>
        )}
      </Group>,
    ],
    ['Noise (σ)', output.noise.sigma.toFixed(1)],
    ['Perceptual hash', <code key="phash">{output.phash}</code>],
  ]
  return (
    <Stack gap="xs">
      <Group gap={6} data-testid="colour-swatches">
        {output.colours.map((c) => (
          <Tooltip key={c.hex} label={`${c.name} · ${c.hex} · ${percent(c.share)}`}>
            <Box
              className={classes.swatch}
              bg={c.hex}
              aria-label={`${c.name}, ${percent(c.share)}`}
              role="img"
            />
          </Tooltip>
        ))}
      </Group>
      <Table fz="sm" verticalSpacing={2}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th fw={500} w="45%">
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
