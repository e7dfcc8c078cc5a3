'use client'

import { useLocalStorage } from '@mantine/hooks'
import type { ImageFormat } from '../../workers/import-client'

export type SortKey = 'addedAt' | 'takenAt' | 'name' | 'bytes'
export type SortDir = 'asc' | 'desc'

export interface LibraryView {
  sortBy: SortKey
  sortDir: SortDir
  tags: string[]
  formats: ImageFormat[]
  text: string
}

export const defaultView: LibraryView = {
  sortBy: 'addedAt',
  sortDir: 'desc',
  tags: [],
  formats: [],
  text: '',
}

/** Sort and filter choices for the library, remembered across visits. */
export function useLibraryView() {
  const [view, setView] = useLocalStorage<LibraryView>({
    key: 'sightline.library-view',
    defaultValue: defaultView,
    getInitialValueInEffect: true,
  })
  const update = (patch: Partial<LibraryView>) => setView((v) => ({ ...v, ...patch }))
  const isFiltered = view.tags.length > 0 || view.formats.length > 0 || view.text.trim() !== ''
  const clearFilters = () => update({ tags: [], formats: [], text: '' })
  return { view, update, isFiltered, clearFilters }
}
