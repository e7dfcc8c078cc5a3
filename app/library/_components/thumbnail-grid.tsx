'use client'

import { ActionIcon, Checkbox } from '@mantine/core'
import { useElementSize, useMergedRef } from '@mantine/hooks'
import { IconAdjustments, IconArrowsMaximize } from '@tabler/icons-react'
import { useWindowVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { getOrCreateDb, type ImageRecord } from '../../_data/db'
import { useThumbnailUrl } from '../../_hooks/use-thumbnail-url'
import classes from './thumbnail-grid.module.css'

const minCellPx = 150
const gapPx = 8

export interface ThumbnailGridProps {
  images: readonly ImageRecord[]
  selected: ReadonlySet<string>
  onSelect(index: number, mods: { shift: boolean; toggle: boolean }): void
  onToggle(index: number): void
  onOpen(index: number): void
  onSelectAll(): void
  onClearSelection(): void
  onDelete(index: number): void
  onRename(index: number): void
}

/**
 * A virtualized, keyboard-navigable grid of thumbnails. Only the rows near the viewport are
 * in the DOM, so it stays smooth with many thousands of images.
 */
export function ThumbnailGrid(props: ThumbnailGridProps) {
  const { images, selected } = props
  const edited = useLiveQuery(
    async () => new Set(await getOrCreateDb().edits.toCollection().primaryKeys()),
    [],
  )
  const { ref: sizeRef, width } = useElementSize()
  const gridRef = useRef<HTMLDivElement>(null)
  const ref = useMergedRef(sizeRef, gridRef)
  const [focusIndex, setFocusIndex] = useState(0)
  const [scrollMargin, setScrollMargin] = useState(0)

  const columns = Math.max(2, Math.floor((width + gapPx) / (minCellPx + gapPx)))
  const cellPx = width > 0 ? (width - gapPx * (columns - 1)) / columns : minCellPx
  const rows = Math.ceil(images.length / columns)

  useLayoutEffect(() => {
    const el = gridRef.current
    if (el) setScrollMargin(el.getBoundingClientRect().top + window.scrollY)
  }, [width])

  const virtualizer = useWindowVirtualizer({
    count: rows,
    estimateSize: () => cellPx + gapPx,
    overscan: 3,
    scrollMargin,
  })

  useEffect(() => {
    virtualizer.measure()
  }, [cellPx, virtualizer])

  const safeFocus = Math.min(focusIndex, Math.max(0, images.length - 1))
  const pendingFocus = useRef(false)

  useEffect(() => {
    if (!pendingFocus.current) return
    pendingFocus.current = false
    const frame = requestAnimationFrame(() => {
      gridRef.current?.querySelector<HTMLElement>(`[data-index="${safeFocus}"]`)?.focus()
    })
    return () => cancelAnimationFrame(frame)
  })

  const moveFocus = (index: number, extend: boolean) => {
    const next = Math.max(0, Math.min(images.length - 1, index))
    setFocusIndex(next)
    pendingFocus.current = true
    virtualizer.scrollToIndex(Math.floor(next / columns), { align: 'auto' })
    if (extend) props.onSelect(next, { shift: true, toggle: false })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (images.length === 0 || event.target instanceof HTMLInputElement) return
    const pageRows = Math.max(1, Math.floor(window.innerHeight / (cellPx + gapPx)) - 1)
    const mod = event.ctrlKey || event.metaKey
    const moves: Record<string, number> = {
      ArrowLeft: safeFocus - 1,
      ArrowRight: safeFocus + 1,
      ArrowUp: safeFocus - columns,
      ArrowDown: safeFocus + columns,
      PageUp: safeFocus - columns * pageRows,
      PageDown: safeFocus + columns * pageRows,
      Home: mod ? 0 : safeFocus - (safeFocus % columns),
      End: mod ? images.length - 1 : safeFocus - (safeFocus % columns) + columns - 1,
    }
    const target = moves[event.key]
    if (target !== undefined) {
      event.preventDefault()
      moveFocus(target, event.shiftKey)
      return
    }
    const handlers: Record<string, () => void> = {
      ' ': () => props.onToggle(safeFocus),
      Enter: () => props.onOpen(safeFocus),
      Escape: () => props.onClearSelection(),
      Delete: () => props.onDelete(safeFocus),
      Backspace: () => props.onDelete(safeFocus),
      F2: () => props.onRename(safeFocus),
    }
    const handler = mod && event.key.toLowerCase() === 'a' ? props.onSelectAll : handlers[event.key]
    if (handler) {
      event.preventDefault()
      handler()
    }
  }

  return (
    <div
      ref={ref}
      role="grid"
      aria-label="Images"
      aria-rowcount={rows}
      aria-colcount={width > 0 ? columns : undefined}
      aria-multiselectable
      className={classes.grid}
      data-selecting={selected.size > 0 ? '' : undefined}
      style={{ height: virtualizer.getTotalSize() }}
      onKeyDown={onKeyDown}
    >
      {/* Until the grid's width is known the column count is a guess: render no cells yet. */}
      {(width > 0 ? virtualizer.getVirtualItems() : []).map((row) => {
        const first = row.index * columns
        return (
          <div
            key={row.key}
            role="row"
            aria-rowindex={row.index + 1}
            className={classes.row}
            style={{
              top: row.start - virtualizer.options.scrollMargin,
              height: cellPx,
              gridTemplateColumns: `repeat(${columns}, 1fr)`,
              columnGap: gapPx,
            }}
          >
            {images.slice(first, first + columns).map((image, i) => (
              <Cell
                key={image.id}
                image={image}
                index={first + i}
                selected={selected.has(image.id)}
                edited={edited?.has(image.id) ?? false}
                focusable={first + i === safeFocus}
                onFocusIndex={setFocusIndex}
                onSelect={props.onSelect}
                onToggle={props.onToggle}
                onOpen={props.onOpen}
              />
            ))}
          </div>
        )
      })}
    </div>
  )
}

interface CellProps extends Pick<ThumbnailGridProps, 'onSelect' | 'onToggle' | 'onOpen'> {
  image: ImageRecord
  index: number
  selected: boolean
  edited: boolean
  focusable: boolean
  onFocusIndex(index: number): void
}

const Cell = memo(function Cell({
  image,
  index,
  selected,
  edited,
  focusable,
  onFocusIndex,
  onSelect,
  onToggle,
  onOpen,
}: CellProps) {
  const url = useThumbnailUrl(image.id)
  return (
    <div
      role="gridcell"
      aria-selected={selected}
      aria-label={image.name}
      tabIndex={focusable ? 0 : -1}
      data-index={index}
      className={classes.cell}
      onFocus={() => onFocusIndex(index)}
      onClick={(e) => onSelect(index, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey })}
      onDoubleClick={() => onOpen(index)}
    >
      {url ? (
        // eslint-disable-next-line @next/next/no-img-element -- object URLs of local blobs; next/image cannot optimise them
        <img
          src={url}
          alt={image.name}
          className={classes.image}
          decoding="async"
          draggable={false}
        />
      ) : (
        <div className={classes.placeholder} aria-hidden />
      )}
      <Checkbox
        className={classes.check}
        checked={selected}
        tabIndex={-1}
        aria-label={`Select ${image.name}`}
        onClick={(e) => e.stopPropagation()}
        onChange={() => onToggle(index)}
        size="sm"
      />
      <ActionIcon
        className={classes.open}
        variant="filled"
        color="dark"
        size="md"
        tabIndex={-1}
        aria-label={`Open ${image.name}`}
        onClick={(e) => {
          e.stopPropagation()
          onOpen(index)
        }}
      >
        <IconArrowsMaximize size={16} />
      </ActionIcon>
      {edited ? (
        <div className={classes.edited} title="Edited" aria-label="Edited" role="img">
          <IconAdjustments size={14} />
        </div>
      ) : null}
      <div className={classes.caption} aria-hidden>
        {image.name}
      </div>
    </div>
  )
})
