'use client'

import { Button, Menu } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDownload } from '@tabler/icons-react'
import { getOrCreateDb, type ImageRecord, type ResultRecord } from '../../../_data/db'
import { getOriginal } from '../../../_data/images'
import { analysisJsonBlob, buildAnalysisExport } from '../../../_lib/analysis-export'
import { annotatedPng } from '../../../_lib/annotate'
import { saveBlob } from '../../../_lib/download'
import { taskColours, type Results } from './result-overlay'
import type { AnalysisView } from './use-image-analysis'

const stem = (name: string) => name.replace(/\.[^.]+$/, '')

/** Downloads of one image's analysis: annotated PNG, results JSON, OCR text. */
export function AnalysisDownloads({
  image,
  results,
  view,
}: {
  image: ImageRecord
  results: Results
  view: AnalysisView
}) {
  const records = Object.values(results) as ResultRecord[]
  const text = results['text-recognition']?.output.text
  const failed = (what: string) => (error: unknown) => {
    console.error(error)
    notifications.show({
      color: 'red',
      title: `Could not save the ${what}`,
      message: error instanceof Error ? error.message : 'Try again.',
    })
  }
  const annotated = async () => {
    const original = await getOriginal(getOrCreateDb(), image.id)
    if (!original) throw new Error('The original is no longer in this browser.')
    const png = await annotatedPng(original, results, { ...view, colours: taskColours })
    saveBlob(png, `${stem(image.name)}-annotated.png`)
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} />}
          disabled={records.length === 0}
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => void annotated().catch(failed('annotated image'))}>
          Annotated image (PNG)
        </Menu.Item>
        <Menu.Item
          onClick={() =>
            saveBlob(
              analysisJsonBlob(buildAnalysisExport([{ image, results: records }])),
              `${stem(image.name)}-analysis.json`,
            )
          }
        >
          Results (JSON)
        </Menu.Item>
        <Menu.Item
          disabled={!text}
          onClick={() =>
            text &&
            saveBlob(
              new Blob([text], { type: 'text/plain;charset=utf-8' }),
              `${stem(image.name)}-text.txt`,
            )
          }
        >
          Text (.txt)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}
