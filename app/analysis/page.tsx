import type { Metadata } from 'next'
import { AnalysisScreen } from './_components/analysis-screen'

export const metadata: Metadata = { title: 'Analysis' }

export default function AnalysisPage() {
  return <AnalysisScreen />
}
