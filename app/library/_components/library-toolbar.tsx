'use client'

import {
  ActionIcon,
  Button,
  Collapse,
  Group,
  Stack,
  MultiSelect,
  Select,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import {
  IconAdjustmentsHorizontal,
  IconFolderPlus,
  IconPhotoPlus,
  IconSearch,
  IconSortAscending,
  IconSortDescending,
} from '@tabler/icons-react'
import { useState } from 'react'
import { formatLabels, imageFormats, type ImageFormat } from '../../../workers/import-client'
import { useTags } from '../../_hooks/use-images'
import { useImport } from '../../_hooks/use-import'
import type { LibraryView, SortKey } from '../../_hooks/use-library-view'

/** Names read A→Z; dates and sizes newest or largest first. */
const sortChoice = (sortBy: SortKey): Partial<LibraryView> => ({
  sortBy,
  sortDir: sortBy === 'name' ? 'asc' : 'desc',
})

const sortOptions: { value: SortKey; label: string }[] = [
  { value: 'addedAt', label: 'Date added' },
  { value: 'takenAt', label: 'Date taken' },
  { value: 'name', label: 'Name' },
  { value: 'bytes', label: 'Size' },
]

export function LibraryToolbar({
  view,
  onChange,
  total,
  shown,
  onSelectAll,
}: {
  view: LibraryView
  onChange(patch: Partial<LibraryView>): void
  total: number
  shown: number
  onSelectAll(): void
}) {
  const { openFilePicker, openFolderPicker } = useImport()
  const tags = useTags()
  const descending = view.sortDir === 'desc'
  const phone = useMediaQuery('(max-width: 48em)', false)
  const [filtersOpen, setFiltersOpen] = useState(false)
  const activeFilters = view.tags.length + view.formats.length
  const nameFilter = (
    <TextInput
      aria-label="Filter by name"
      placeholder="Filter by name"
      leftSection={<IconSearch size={16} />}
      value={view.text}
      onChange={(e) => onChange({ text: e.currentTarget.value })}
      style={phone ? { flex: 1 } : undefined}
      w={phone ? undefined : 200}
    />
  )

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Group gap="xs" align="baseline">
          <Title order={2}>Library</Title>
          <Text c="dimmed" fz="sm" aria-live="polite">
            {shown === total ? countLabel(total) : `${shown} of ${countLabel(total)}`}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button leftSection={<IconPhotoPlus size={18} />} onClick={openFilePicker}>
            {phone ? 'Import' : 'Import images'}
          </Button>
          {phone ? (
            <ActionIcon
              variant="default"
              size="lg"
              aria-label="Import folder"
              onClick={openFolderPicker}
            >
              <IconFolderPlus size={18} />
            </ActionIcon>
          ) : (
            <Button
              variant="default"
              leftSection={<IconFolderPlus size={18} />}
              onClick={openFolderPicker}
            >
              Import folder
            </Button>
          )}
        </Group>
      </Group>
      {total > 0 && phone ? (
        <Group gap="xs" wrap="nowrap">
          {nameFilter}
          <Button
            variant={filtersOpen ? 'light' : 'default'}
            leftSection={<IconAdjustmentsHorizontal size={16} />}
            onClick={() => setFiltersOpen((v) => !v)}
            aria-expanded={filtersOpen}
          >
            {activeFilters ? `Filters (${activeFilters})` : 'Filters'}
          </Button>
        </Group>
      ) : null}
      {total > 0 ? (
        <Collapse expanded={!phone || filtersOpen}>
          <Group gap="xs" align="end" wrap="wrap">
            {phone ? null : nameFilter}
            <MultiSelect
              aria-label="Filter by tag"
              placeholder={view.tags.length ? undefined : 'Tags'}
              data={tags.map(({ tag, count }) => ({ value: tag, label: `${tag} (${count})` }))}
              value={view.tags}
              onChange={(value) => onChange({ tags: value })}
              searchable
              clearable
              nothingFoundMessage="No tags yet"
              w={{ base: '100%', xs: 200 }}
            />
            <MultiSelect
              aria-label="Filter by type"
              placeholder={view.formats.length ? undefined : 'Types'}
              data={Object.keys(imageFormats).map((f) => ({
                value: f,
                label: formatLabels[f as ImageFormat],
              }))}
              value={view.formats}
              onChange={(value) => onChange({ formats: value as ImageFormat[] })}
              clearable
              w={{ base: '100%', xs: 180 }}
            />
            <Group gap={4} wrap="nowrap">
              <Select
                aria-label="Sort by"
                data={sortOptions}
                value={view.sortBy}
                onChange={(value) => value && onChange(sortChoice(value as SortKey))}
                allowDeselect={false}
                w={150}
              />
              <Tooltip label={descending ? 'Descending' : 'Ascending'}>
                <ActionIcon
                  variant="default"
                  size="lg"
                  aria-label={descending ? 'Sort ascending' : 'Sort descending'}
                  onClick={() => onChange({ sortDir: descending ? 'asc' : 'desc' })}
                >
                  {descending ? <IconSortDescending size={18} /> : <IconSortAscending size={18} />}
                </ActionIcon>
              </Tooltip>
            </Group>
            <Button variant="subtle" onClick={onSelectAll} disabled={shown === 0}>
              Select all
            </Button>
          </Group>
        </Collapse>
      ) : null}
    </Stack>
  )
}

function countLabel(n: number): string {
  return n === 1 ? '1 image' : `${n.toLocaleString()} images`
}
