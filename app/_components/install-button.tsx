'use client'

import { Button } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { install, useCanInstall } from '../_lib/pwa/install-prompt'

/** Shown only while the browser offers to install Sightline as an app. */
export function InstallButton() {
  const canInstall = useCanInstall()
  if (!canInstall) return null
  return (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconDownload size={16} />}
      onClick={() => void install()}
      data-testid="install-button"
    >
      Install app
    </Button>
  )
}
