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
  { href: '/monitoring', label: 'Monitoring', icon: IconChartLine },
  { href: '/settings', label: 'Settings', icon: IconSettings },
  { href: '/admin', label: 'Users', icon: IconUsers, adminOnly: true },
] as const
