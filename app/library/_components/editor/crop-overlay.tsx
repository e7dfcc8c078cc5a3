'use client'

import {
  useId,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
} from 'react'
import type { Rect } from '../../../../models/_transform/recipe'
import {
  clampRect,
  moveRect,
  nudgeRect,
  resizeRect,
  type CropConstraints,
  type Handle,
  type ImageSize,
} from './geometry'
import classes from './editor.module.css'

// Edges first so that, on a small box, the corner handles lie on top.
const handleOrder = ['n', 'e', 's', 'w', 'nw', 'ne', 'se', 'sw'] as const satisfies Handle[]

interface Drag {
  pointerId: number
  mode: Handle | 'move'
  start: Rect
  clientX: number
  clientY: number
  width: number
  height: number
  last: Rect
}

/**
 * A crop box over the displayed image (the parent must be exactly the image's box and
 * positioned): drag the body to move it, the eight handles to resize it, or use the arrow keys
 * (Shift: resize the bottom-right corner). `rect` is normalised; `aspect` is width / height in
 * image pixels, or null for a free crop.
 */
export function CropOverlay({
  rect,
  aspect,
  imageSize,
  onChange,
  onCommit,
}: {
  rect: Rect
  aspect: number | null
  /** Pixel size of the image the crop applies to, to turn `aspect` into normalised units. */
  imageSize: ImageSize
  /** Every change while dragging or per key press. */
  onChange: (rect: Rect) => void
  /** Once per finished gesture (pointer up, key released), only if the crop changed. */
  onCommit?: (rect: Rect) => void
}) {
  const root = useRef<HTMLDivElement>(null)
  const drag = useRef<Drag | null>(null)
  const keyed = useRef<Rect | null>(null)
  const [active, setActive] = useState<Handle | 'move' | 'keys' | null>(null)
  const hintId = useId()
  const constraints: CropConstraints = { aspect, imageSize }
  const shown = clampRect(rect)

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    const box = root.current?.getBoundingClientRect()
    if (event.button !== 0 || !box || box.width === 0 || box.height === 0) return
    const handle = (event.target as HTMLElement).closest<HTMLElement>('[data-handle]')?.dataset
      .handle as Handle | undefined
    event.currentTarget.setPointerCapture(event.pointerId)
    drag.current = {
      pointerId: event.pointerId,
      mode: handle ?? 'move',
      start: shown,
      clientX: event.clientX,
      clientY: event.clientY,
      width: box.width,
      height: box.height,
      last: shown,
    }
    setActive(handle ?? 'move')
  }

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current
    if (!d || d.pointerId !== event.pointerId) return
    const dx = (event.clientX - d.clientX) / d.width
    const dy = (event.clientY - d.clientY) / d.height
    const next =
      d.mode === 'move'
        ? moveRect(d.start, dx, dy)
        : resizeRect(d.start, d.mode, dx, dy, constraints)
    if (sameRect(next, d.last)) return
    d.last = next
    onChange(next)
  }

  const onPointerEnd = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current
    if (!d || d.pointerId !== event.pointerId) return
    drag.current = null
    setActive(null)
    if (!sameRect(d.last, d.start)) onCommit?.(d.last)
  }

  const commitKeys = () => {
    if (keyed.current) onCommit?.(keyed.current)
    keyed.current = null
    setActive((a) => (a === 'keys' ? null : a))
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (drag.current || event.altKey || event.ctrlKey || event.metaKey) return
    const next = nudgeRect(shown, event.key, event.shiftKey, constraints)
    if (!next) return
    event.preventDefault()
    setActive('keys')
    if (sameRect(next, shown)) return
    keyed.current = next
    onChange(next)
  }

  const boxStyle: CSSProperties = {
    left: `${shown.x * 100}%`,
    top: `${shown.y * 100}%`,
    width: `${shown.width * 100}%`,
    height: `${shown.height * 100}%`,
  }

  return (
    <div ref={root} className={classes.cropRoot} data-active={active ?? undefined}>
      <div className={classes.cropShade} aria-hidden>
        <div className={classes.cropHole} style={boxStyle} />
      </div>
      <div
        className={classes.cropBox}
        style={boxStyle}
        role="group"
        tabIndex={0}
        aria-label="Crop area"
        aria-describedby={hintId}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
        onKeyDown={onKeyDown}
        onKeyUp={commitKeys}
        onBlur={commitKeys}
      >
        <span className={classes.thirds} aria-hidden />
        {handleOrder.map((handle) => (
          <span key={handle} className={classes.cropHandle} data-handle={handle} aria-hidden />
        ))}
        {active !== null && (
          <span className={classes.cropSize} aria-hidden>
            {Math.round(shown.width * imageSize.width)} ×{' '}
            {Math.round(shown.height * imageSize.height)}
          </span>
        )}
        <span id={hintId} hidden>
          Arrow keys move the crop; Shift and arrow keys resize it.
        </span>
      </div>
    </div>
  )
}

function sameRect(a: Rect, b: Rect) {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height
}
