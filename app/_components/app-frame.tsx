'use client'

import { AppShell, Burger, Group, NavLink, Text, VisuallyHidden } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { Suspense, useEffect, type ReactNode } from 'react'
import { AccountProvider, useAccount } from '../_hooks/use-account'
import { AnalysisQueueProvider } from '../_hooks/use-analysis-queue'
import { ImportProvider } from '../_hooks/use-import'
import { watchInstallPrompt } from '../_lib/pwa/install-prompt'
import { registerServiceWorker } from '../_lib/pwa/service-worker'
import { startTelemetry } from '../_lib/telemetry/runtime'
import { FiringBadge, useAlertNotices } from './alert-notices'
import { AnalysisStatus } from './analysis-status'
import { ColorSchemeToggle } from './color-scheme-toggle'
import { ImportDrop } from './import-drop'
import { ImportStatus } from './import-status'
import { IncomingFiles } from './incoming-files'
import { InstallButton } from './install-button'
import { navItems } from './nav-items'
import { NetworkStatus } from './network-status'
import { StorageGuardian } from './storage-guardian'
import { SyncIndicator } from './sync-indicator'
import { UpdatePrompt } from './update-prompt'

/** The app shell: header, navigation, and the import machinery every screen can use. */
export function AppFrame({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure()
  const pathname = usePathname()
  // Error reports and inference figures, only once the user opted in (Settings).
  useEffect(() => startTelemetry(), [])
  // Offline use, updates and the install offer (production builds only have a service worker).
  useEffect(() => {
    registerServiceWorker()
    return watchInstallPrompt()
  }, [])
  return (
    <AccountProvider>
      <Frame opened={opened} toggle={toggle} close={close} pathname={pathname}>
        {children}
      </Frame>
    </AccountProvider>
  )
}

function Frame({
  children,
  opened,
  toggle,
  close,
  pathname,
}: {
  children: ReactNode
  opened: boolean
  toggle: () => void
  close: () => void
  pathname: string
}) {
  const { account } = useAccount()
  const isAdmin = account.status === 'signed-in' && account.user.role === 'admin'
  const visibleNavItems = navItems.filter((item) => !('adminOnly' in item) || isAdmin)
  const firingAlerts = useAlertNotices()

  return (
    <AnalysisQueueProvider>
      <ImportProvider>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <AppShell
          header={{ height: 56 }}
          navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
          padding="md"
        >
          <AppShell.Header>
            <Group h="100%" px="md" justify="space-between" wrap="nowrap">
              <Group gap="sm" wrap="nowrap">
                <Burger
                  opened={opened}
                  onClick={toggle}
                  hiddenFrom="sm"
                  size="sm"
                  aria-label={opened ? 'Close navigation' : 'Open navigation'}
                />
                <Text component={Link} href="/library" fw={700} fz="lg" c="inherit" td="none">
                  Sightline
                </Text>
              </Group>
              <Group gap="xs" wrap="nowrap">
                <NetworkStatus />
                <InstallButton />
                <SyncIndicator />
                <ColorSchemeToggle />
              </Group>
            </Group>
          </AppShell.Header>

          <AppShell.Navbar p="xs" component="nav" aria-label="Main">
            {visibleNavItems.map(({ href, label, icon: Icon, ...item }) => (
              <NavLink
                key={href}
                component={Link}
                href={href}
                prefetch={'prefetch' in item ? item.prefetch : undefined}
                label={label}
                leftSection={<Icon size={18} stroke={1.6} aria-hidden />}
                rightSection={href === '/monitoring' && <FiringBadge count={firingAlerts} />}
                active={pathname === href || pathname.startsWith(`${href}/`)}
                aria-current={pathname.startsWith(href) ? 'page' : undefined}
                onClick={close}
              />
            ))}
          </AppShell.Navbar>

          <AppShell.Main id="main" tabIndex={-1}>
            <VisuallyHidden>
              <h1>Sightline</h1>
            </VisuallyHidden>
            <StorageGuardian />
            {children}
          </AppShell.Main>
        </AppShell>
        <ImportDrop />
        <ImportStatus />
        <AnalysisStatus />
        <UpdatePrompt />
        <Suspense fallback={null}>
          <IncomingFiles />
        </Suspense>
      </ImportProvider>
    </AnalysisQueueProvider>
  )
}
