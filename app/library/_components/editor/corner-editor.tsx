'use client'

import { useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import type { Point } from '../../../../models/_transform/recipe'
import { clampPoint, nudgePoint, replaceCorner, type Corners } from './geometry'
import classes from './editor.module.css'

const cornerLabels = [
  'Top-left corner',
  'Top-right corner',
  'Bottom-right corner',
  'Bottom-left corner',
] as const

interface Drag {
  pointerId: number
  index: number
  start: Point
  clientX: number
  clientY: number
  width: number
  height: number
  last: Corners
}

/**
 * Four draggable corners of a document's outline over the displayed image (the parent must be
 * exactly the image's box and positioned), in normalised coordinates, top-left, top-right,
 * bottom-right, bottom-left; outside the outline is dimmed. Arrow keys move the focused corner
 * by 0.5 % (Shift: 2 %).
 */
export function CornerEditor({
  corners,
  onChange,
  onCommit,
}: {
  corners: Corners
  /** Every change while dragging or per key press; moved corners are kept within 0–1. */
  onChange: (corners: Corners) => void
  /** Once per finished gesture (pointer up, key released), only if a corner moved. */
  onCommit?: (corners: Corners) => void
}) {
  const root = useRef<HTMLDivElement>(null)
  const drag = useRef<Drag | null>(null)
  const keyed = useRef<Corners | null>(null)
  const [dragging, setDragging] = useState<number | null>(null)
  const hintId = useId()
  const outline = corners.map(([x, y]) => `${x} ${y}`).join(' L')

  const onPointerDown = (index: number, event: PointerEvent<HTMLButtonElement>) => {
    const box = root.current?.getBoundingClientRect()
    if (event.button !== 0 || !box || box.width === 0 || box.height === 0) return
    event.currentTarget.setPointerCapture(event.pointerId)
    drag.current = {
      pointerId: event.pointerId,
      index,
      start: corners[index]!,
      clientX: event.clientX,
      clientY: event.clientY,
      width: box.width,
      height: box.height,
      last: corners,
    }
    setDragging(index)
  }

  const onPointerMove = (event: PointerEvent<HTMLButtonElement>) => {
    const d = drag.current
    if (!d || d.pointerId !== event.pointerId) return
    const point = clampPoint([
      d.start[0] + (event.clientX - d.clientX) / d.width,
      d.start[1] + (event.clientY - d.clientY) / d.height,
    ])
    const previous = d.last[d.index]!
    if (point[0] === previous[0] && point[1] === previous[1]) return
    d.last = replaceCorner(d.last, d.index, point)
    onChange(d.last)
  }

  const onPointerEnd = (event: PointerEvent<HTMLButtonElement>) => {
    const d = drag.current
    if (!d || d.pointerId !== event.pointerId) return
    drag.current = null
    setDragging(null)
    const end = d.last[d.index]!
    if (end[0] !== d.start[0] || end[1] !== d.start[1]) onCommit?.(d.last)
  }

  const onKeyDown = (index: number, event: KeyboardEvent<HTMLButtonElement>) => {
    if (drag.current || event.altKey || event.ctrlKey || event.metaKey) return
    const current = corners[index]!
    const point = nudgePoint(current, event.key, event.shiftKey)
    if (!point) return
    event.preventDefault()
    if (point[0] === current[0] && point[1] === current[1]) return
    keyed.current = replaceCorner(corners, index, point)
    onChange(keyed.current)
  }

  const commitKeys = () => {
    if (keyed.current) onCommit?.(keyed.current)
    keyed.current = null
  }

  return (
    <div ref={root} className={classes.cornerRoot} data-dragging={dragging !== null || undefined}>
      <svg className={classes.cornerSvg} viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden>
        <path className={classes.cornerShade} d={`M0 0H1V1H0Z M${outline}Z`} fillRule="evenodd" />
        <path className={classes.cornerOutlineBack} d={`M${outline}Z`} />
        <path className={classes.cornerOutline} d={`M${outline}Z`} />
      </svg>
      <span id={hintId} hidden>
        Drag, or use the arrow keys to move it; hold Shift to move faster.
      </span>
      {corners.map(([x, y], index) => (
        <button
          key={cornerLabels[index]}
          type="button"
          className={classes.cornerHandle}
          style={{ left: `${x * 100}%`, top: `${y * 100}%` }}
          aria-label={cornerLabels[index]}
          aria-describedby={hintId}
          data-dragging={dragging === index || undefined}
          onPointerDown={(event) => onPointerDown(index, event)}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
          onKeyDown={(event) => onKeyDown(index, event)}
          onKeyUp={commitKeys}
          onBlur={commitKeys}
        />
      ))}
    </div>
  )
}
