'use client'

import { useLiveQuery } from 'dexie-react-hooks'
import { getOrCreateDb, type ImageRecord } from '../_data/db'
import { allTags, listImages } from '../_data/images'

/** Every image in the library (not in the trash), kept live; undefined while loading. */
export function useImages(): ImageRecord[] | undefined {
  return useLiveQuery(() => listImages(getOrCreateDb()), [])
}

/** Every tag in use with its count, kept live. */
export function useTags(): { tag: string; count: number }[] {
  return useLiveQuery(() => allTags(getOrCreateDb()), []) ?? []
}
