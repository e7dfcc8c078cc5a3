import { Affix, Paper, type AffixProps } from '@mantine/core'
import type { ReactNode } from 'react'

/** A card pinned over the page (import and analysis progress), full width on phones. */
export function FloatingCard({
  position,
  zIndex,
  width,
  label,
  testId,
  children,
}: {
  position: AffixProps['position']
  zIndex: number
  /** From the `xs` breakpoint up, in px. */
  width: number
  /** Accessible name of the region. */
  label: string
  testId?: string
  children: ReactNode
}) {
  return (
    <Affix position={position} zIndex={zIndex}>
      <Paper
        withBorder
        shadow="lg"
        p="md"
        w={{ base: 'calc(100vw - 32px)', xs: width }}
        role="region"
        aria-label={label}
        data-testid={testId}
      >
        {children}
      </Paper>
    </Affix>
  )
}
