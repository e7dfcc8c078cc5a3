import type { Metadata } from 'next'
import { Suspense } from 'react'
import { LibraryScreen } from './_components/library-screen'

export const metadata: Metadata = { title: 'Library' }

export default function LibraryPage() {
  return (
    <Suspense>
      <LibraryScreen />
    </Suspense>
  )
}
