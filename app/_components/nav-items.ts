import {
  IconChartLine,
  IconCube,
  IconPhoto,
  IconScan,
  IconSettings,
  IconUsers,
} from '@tabler/icons-react'

export const navItems = [
  { href: '/library', label: 'Library', icon: IconPhoto },
  { href: '/analysis', label: 'Analysis', icon: IconScan },
  { href: '/models', label: 'Models', icon: IconCube },
  // Its charts (recharts, 0.5 MB) are loaded when it is opened, not prefetched on every page.
  { href: '/monitoring', label: 'Monitoring', icon: IconChartLine, prefetch: false },
  { href: '/settings', label: 'Settings', icon: IconSettings },
  { href: '/admin', label: 'Users', icon: IconUsers, adminOnly: true },
] as const
