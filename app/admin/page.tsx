import type { Metadata } from 'next'
import { AdminScreen } from './admin-screen'

export const metadata: Metadata = { title: 'Users' }

export default function AdminPage() {
  return <AdminScreen />
}
