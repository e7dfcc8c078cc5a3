'use client'

import { notifications } from '@mantine/notifications'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useEffect } from 'react'
import { useImport } from '../_hooks/use-import'
import { consumeLaunchedFiles, takeSharedFiles } from '../_lib/pwa/incoming-files'

/**
 * Imports images other apps share into Sightline (`?shared=<batch>` after the service worker took
 * the share) and image files the installed app is opened with.
 */
export function IncomingFiles() {
  const { start } = useImport()
  const shared = useSearchParams().get('shared')
  const router = useRouter()
  const pathname = usePathname()

  useEffect(() => consumeLaunchedFiles(start), [start])

  useEffect(() => {
    if (!shared) return
    router.replace(pathname)
    if (shared === 'none' || shared === 'failed') {
      notifications.show({
        color: shared === 'none' ? 'yellow' : 'red',
        title: 'Nothing imported',
        message:
          shared === 'none'
            ? 'The share held no images.'
            : 'The shared images could not be received. Try sharing them again.',
      })
      return
    }
    void takeSharedFiles(shared).then(start, (error: unknown) => {
      console.error(error)
      notifications.show({
        color: 'red',
        title: 'Shared images not imported',
        message: 'The shared images could not be read. Try sharing them again.',
      })
    })
  }, [shared, start, router, pathname])

  return null
}
