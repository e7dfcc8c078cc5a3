'use client'

import { Affix, Button, Group, Notification, Text } from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { useState } from 'react'
import { reloadToUpdate, useUpdateState } from '../_lib/pwa/service-worker'

/** Offers a new version once it has fully downloaded; the open tab keeps its version until then. */
export function UpdatePrompt() {
  const state = useUpdateState()
  const [later, setLater] = useState<string | null>(null)
  if (state === 'none' || later === state) return null
  return (
    <Affix position={{ bottom: 16, left: 16 }} zIndex={300}>
      <Notification
        icon={<IconRefresh size={18} />}
        title={state === 'ready' ? 'A new version of Sightline is ready' : 'Sightline was updated'}
        onClose={() => setLater(state)}
        closeButtonProps={{ 'aria-label': 'Later' }}
        role="status"
        maw={380}
        data-testid="update-prompt"
        data-state={state}
      >
        <Text fz="sm" mb="xs">
          {state === 'ready'
            ? 'Reload to use it. Your library and queued work are kept.'
            : 'Another tab switched to the new version. Reload this tab to use it too.'}
        </Text>
        <Group gap="xs">
          <Button size="xs" onClick={reloadToUpdate}>
            Reload
          </Button>
        </Group>
      </Notification>
    </Affix>
  )
}
