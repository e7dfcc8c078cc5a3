'use client'

import { useEffect, useRef, useState } from 'react'
import type { Recipe } from '../../../../models/_transform/recipe'
import type { EditSession } from '../../../../workers/transform-client'

/** How long the recipe must stay still before the full-resolution render starts. */
const settleMs = 350

export interface Preview {
  url: string
  width: number
  height: number
  resolution: 'preview' | 'full'
}

/**
 * Renders `recipe` for the stage: a downscaled preview at once on every change, then the full
 * resolution once it has stayed the same for a moment. Keeps the last good picture on error.
 */
export function useEditPreview(session: EditSession, recipe: Recipe) {
  const [preview, setPreview] = useState<(Preview & { key: string }) | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const urls = useRef(new Set<string>())
  const key = JSON.stringify(recipe)

  useEffect(() => {
    let live = true
    const show =
      (resolution: Preview['resolution']) =>
      (rendering: { blob: Blob; width: number; height: number } | null) => {
        if (!live || !rendering) return
        const url = URL.createObjectURL(rendering.blob)
        urls.current.add(url)
        setPreview((previous) => {
          // A late preview must not replace the full render of the same recipe.
          if (previous?.key === key && previous.resolution === 'full' && resolution === 'preview') {
            URL.revokeObjectURL(url)
            urls.current.delete(url)
            return previous
          }
          if (previous) {
            URL.revokeObjectURL(previous.url)
            urls.current.delete(previous.url)
          }
          return { key, url, width: rendering.width, height: rendering.height, resolution }
        })
        setError(null)
      }
    const fail = (err: unknown) => {
      if (live) setError(err instanceof Error ? err : new Error(String(err)))
    }
    session.preview(recipe).then(show('preview'), fail)
    const timer = setTimeout(() => {
      session.full(recipe).then(show('full'), fail)
    }, settleMs)
    return () => {
      live = false
      clearTimeout(timer)
    }
    // `key` stands for `recipe`'s content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, key])

  useEffect(() => {
    const made = urls.current
    return () => {
      for (const url of made) URL.revokeObjectURL(url)
      made.clear()
    }
  }, [])

  const current = preview?.key === key
  // Until the full-resolution render of this recipe is shown, more is on its way.
  return { preview, current, busy: !error && (!current || preview.resolution !== 'full'), error }
}
