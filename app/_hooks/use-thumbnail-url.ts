'use client'

import { useEffect, useState } from 'react'
import { getOrCreateDb } from '../_data/db'
import { getThumbnailUrl, peekThumbnailUrl } from '../_data/thumbnail-urls'

/** The object URL of an image's thumbnail; undefined while it loads or if it is missing. */
export function useThumbnailUrl(id: string): string | undefined {
  const [loaded, setLoaded] = useState<{ id: string; url: string | undefined } | null>(null)
  const cached = peekThumbnailUrl(id)
  useEffect(() => {
    if (peekThumbnailUrl(id)) return
    let live = true
    getThumbnailUrl(getOrCreateDb(), id).then(
      (url) => live && setLoaded({ id, url }),
      (err: unknown) => console.warn('Thumbnail could not be read', err),
    )
    return () => {
      live = false
    }
  }, [id])
  return cached ?? (loaded?.id === id ? loaded.url : undefined)
}
