'use client'

import { IconArrowsHorizontal } from '@tabler/icons-react'
import { useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react'
import { clamp, nudgePercent } from './geometry'
import classes from './editor.module.css'

/**
 * The edited image with the unedited one revealed left of a draggable divider, both fitted
 * (object-fit: contain) into the parent; `position` is the divider's place in percent (0–100,
 * default 50), uncontrolled when omitted.
 */
export function CompareSlider({
  before,
  after,
  alt,
  position,
  onPositionChange,
}: {
  /** Object URL of the image before the edits. */
  before: string
  /** Object URL of the image after the edits. */
  after: string
  alt: string
  position?: number
  onPositionChange?: (position: number) => void
}) {
  const [ownPosition, setOwnPosition] = useState(50)
  const [dragging, setDragging] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const value = clamp(position ?? ownPosition, 0, 100)

  const change = (next: number) => {
    setOwnPosition(next)
    onPositionChange?.(next)
  }

  const follow = (clientX: number) => {
    const box = root.current?.getBoundingClientRect()
    if (!box || box.width === 0) return
    change(clamp(((clientX - box.left) / box.width) * 100, 0, 100))
  }

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    event.currentTarget.setPointerCapture(event.pointerId)
    setDragging(true)
    follow(event.clientX)
  }

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (dragging) follow(event.clientX)
  }

  const onPointerEnd = () => setDragging(false)

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const next = nudgePercent(value, event.key)
    if (next === null) return
    event.preventDefault()
    change(next)
  }

  return (
    <div ref={root} className={classes.compare} data-dragging={dragging || undefined}>
      {/* eslint-disable-next-line @next/next/no-img-element -- object URLs of edited pixels */}
      <img src={after} alt={alt} className={classes.compareImage} draggable={false} />
      {/* eslint-disable-next-line @next/next/no-img-element -- object URLs of edited pixels */}
      <img
        src={before}
        alt={`${alt} (before)`}
        className={classes.compareImage}
        style={{ clipPath: `inset(0 ${100 - value}% 0 0)` }}
        draggable={false}
      />
      <span
        className={classes.compareLabel}
        data-side="before"
        data-hidden={value < 12 || undefined}
      >
        Before
      </span>
      <span
        className={classes.compareLabel}
        data-side="after"
        data-hidden={value > 88 || undefined}
      >
        After
      </span>
      <div
        className={classes.divider}
        style={{ left: `${value}%`, '--position': value } as CSSProperties}
        role="slider"
        tabIndex={0}
        aria-label="Before and after"
        aria-orientation="horizontal"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(value)}
        aria-valuetext={`${Math.round(value)}% before`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
        onLostPointerCapture={onPointerEnd}
        onKeyDown={onKeyDown}
      >
        <span className={classes.dividerKnob} aria-hidden>
          <IconArrowsHorizontal size={18} stroke={2} />
        </span>
      </div>
    </div>
  )
}
