'use client'

import { Tooltip } from '@mantine/core'

/** A tooltip that waits a moment, for icon buttons whose label it repeats. */
export function Tip({ label, children }: { label: string; children: React.ReactElement }) {
  return (
    <Tooltip label={label} openDelay={400}>
      {children}
    </Tooltip>
  )
}
