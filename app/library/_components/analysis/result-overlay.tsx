'use client'

import { useMemo } from 'react'
import type { ResultOf, TaskId } from '../../../../models'
import { shownFaces, shownLines, shownObjects } from '../../../_lib/shown-results'
import type { ResultRecord } from '../../../_data/db'
import type { AnalysisView, HighlightKey } from './use-image-analysis'
import { maskToDataUrl } from './mask-image'
import classes from './analysis.module.css'

export type Results = Partial<{ [Id in TaskId]: ResultRecord<Id> }>

export const taskColours = {
  'object-detection': '#339af0',
  'face-detection': '#51cf66',
  'text-recognition': '#ff922b',
  'person-segmentation': '#cc5de8',
  'image-properties': '#868e96',
} as const satisfies Record<TaskId, string>

/**
 * Shapes for every visible task's result, drawn in an SVG laid exactly over the image: its
 * viewBox is the analysed image's pixel grid, so coordinates are used as stored.
 */
export function ResultOverlay({
  results,
  view,
  onHighlight,
}: {
  results: Results
  view: AnalysisView
  onHighlight(key: HighlightKey | null): void
}) {
  const size = Object.values(results).find((r) => r && r.task !== 'image-properties')?.imageSize
  if (!size) return null
  const fontSize = Math.max(10, Math.round(Math.max(size.width, size.height) / 60))
  const props = { view, onHighlight, fontSize }
  return (
    <svg
      className={classes.overlay}
      viewBox={`0 0 ${size.width} ${size.height}`}
      preserveAspectRatio="none"
      aria-hidden
      data-testid="result-overlay"
    >
      {view.visible['person-segmentation'] && results['person-segmentation'] && (
        <PersonMask record={results['person-segmentation']} />
      )}
      {view.visible['text-recognition'] && results['text-recognition'] && (
        <TextShapes output={results['text-recognition'].output} {...props} />
      )}
      {view.visible['object-detection'] && results['object-detection'] && (
        <ObjectShapes output={results['object-detection'].output} {...props} />
      )}
      {view.visible['face-detection'] && results['face-detection'] && (
        <FaceShapes output={results['face-detection'].output} {...props} />
      )}
    </svg>
  )
}

interface ShapeProps {
  view: AnalysisView
  onHighlight(key: HighlightKey | null): void
  fontSize: number
}

function hover(key: HighlightKey, onHighlight: ShapeProps['onHighlight']) {
  return { onMouseEnter: () => onHighlight(key), onMouseLeave: () => onHighlight(null) }
}

function ObjectShapes({
  output,
  view,
  onHighlight,
  fontSize,
}: ShapeProps & { output: ResultOf<'object-detection'> }) {
  const colour = taskColours['object-detection']
  return shownObjects(output, view.minScore['object-detection']).map(({ item: object, index }) => {
    const key: HighlightKey = `object-detection:${index}`
    const { x, y, width, height } = object.box
    return (
      <g
        key={key}
        className={view.highlight === key ? classes.highlighted : undefined}
        {...hover(key, onHighlight)}
        data-label={object.label}
      >
        <rect
          x={x}
          y={y}
          width={width}
          height={height}
          fill="none"
          stroke={colour}
          className={classes.stroke}
        />
        <text
          x={x + 2}
          y={Math.max(fontSize, y - 4)}
          fill={colour}
          fontSize={fontSize}
          className={classes.label}
        >
          {object.label} {Math.round(object.score * 100)}%
        </text>
      </g>
    )
  })
}

function FaceShapes({
  output,
  view,
  onHighlight,
  fontSize,
}: ShapeProps & { output: ResultOf<'face-detection'> }) {
  const colour = taskColours['face-detection']
  const dot = fontSize / 5
  return shownFaces(output, view.minScore['face-detection']).map(({ item: face, index }) => {
    const key: HighlightKey = `face-detection:${index}`
    const { x, y, width, height } = face.box
    const mesh = view.showMesh ? face.mesh : undefined
    return (
      <g
        key={key}
        className={view.highlight === key ? classes.highlighted : undefined}
        {...hover(key, onHighlight)}
        data-testid="face-box"
      >
        <rect
          x={x}
          y={y}
          width={width}
          height={height}
          fill="none"
          stroke={colour}
          className={classes.stroke}
        />
        {face.keypoints.map((point) => (
          <circle key={point.name} cx={point.x} cy={point.y} r={dot * 1.6} fill={colour} />
        ))}
        {mesh &&
          Array.from({ length: mesh.length / 3 }, (_, p) => (
            <circle
              key={p}
              cx={mesh[p * 3]}
              cy={mesh[p * 3 + 1]}
              r={dot * 0.6}
              fill="#fff"
              opacity={0.8}
            />
          ))}
      </g>
    )
  })
}

function TextShapes({
  output,
  view,
  onHighlight,
}: ShapeProps & { output: ResultOf<'text-recognition'> }) {
  const colour = taskColours['text-recognition']
  return shownLines(output, view.minScore['text-recognition']).map(({ item: line, index }) => {
    const key: HighlightKey = `text-recognition:${index}`
    return (
      <polygon
        key={key}
        points={line.polygon.map(([px, py]) => `${px},${py}`).join(' ')}
        fill={colour}
        fillOpacity={view.highlight === key ? 0.35 : 0.12}
        stroke={colour}
        className={classes.stroke}
        {...hover(key, onHighlight)}
      >
        <title>{line.text}</title>
      </polygon>
    )
  })
}

function PersonMask({ record }: { record: ResultRecord<'person-segmentation'> }) {
  const { mask } = record.output
  const url = useMemo(() => maskToDataUrl(mask, taskColours['person-segmentation']), [mask])
  if (!url) return null
  const { width, height } = record.imageSize
  return (
    <image
      href={url}
      x={0}
      y={0}
      width={width}
      height={height}
      preserveAspectRatio="none"
      opacity={0.35}
    />
  )
}
