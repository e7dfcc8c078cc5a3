import type { TaskId } from '../../models'
import type { ResultRecord } from '../_data/db'
import { shownFaces, shownLines, shownObjects } from './shown-results'

type Results = Partial<{ [Id in TaskId]: ResultRecord<Id> }>

export interface AnnotateOptions {
  visible: Record<TaskId, boolean>
  minScore: Record<TaskId, number>
  showMesh: boolean
  colours: Record<TaskId, string>
}

/** Longest side of an annotated export, in pixels; larger originals are scaled down to it. */
const maxSide = 4096

/**
 * The image with every visible overlay drawn in, as a PNG: what the viewer shows, at up to
 * 4096 px on the long side.
 */
export async function annotatedPng(
  original: Blob,
  results: Results,
  options: AnnotateOptions,
): Promise<Blob> {
  const bitmap = await createImageBitmap(original, { imageOrientation: 'from-image' })
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(bitmap.width * scale)
    canvas.height = Math.round(bitmap.height * scale)
    const context = canvas.getContext('2d')
    if (!context) throw new Error('This browser cannot draw on a canvas.')
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    draw(context, canvas.width, canvas.height, results, options)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed.'))),
        'image/png',
      ),
    )
  } finally {
    bitmap.close()
  }
}

function draw(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  results: Results,
  { visible, minScore, showMesh, colours }: AnnotateOptions,
): void {
  const line = Math.max(2, Math.round(Math.max(width, height) / 400))
  const font = Math.max(12, Math.round(Math.max(width, height) / 60))
  context.lineWidth = line
  context.font = `600 ${font}px system-ui, sans-serif`
  const mapper = (record: { imageSize: { width: number; height: number } }) => {
    const sx = width / record.imageSize.width
    const sy = height / record.imageSize.height
    return (x: number, y: number) => [x * sx, y * sy] as const
  }
  const label = (text: string, x: number, y: number, colour: string) => {
    context.lineWidth = Math.max(2, font / 5)
    context.strokeStyle = 'rgba(0,0,0,0.7)'
    context.strokeText(text, x, y)
    context.fillStyle = colour
    context.fillText(text, x, y)
    context.lineWidth = line
  }

  const person = results['person-segmentation']
  if (person && visible['person-segmentation']) {
    const { mask } = person.output
    const tinted = new OffscreenCanvas(mask.width, mask.height)
    const tctx = tinted.getContext('2d')!
    const pixels = tctx.createImageData(mask.width, mask.height)
    const [r, g, b] = hex(colours['person-segmentation'])
    for (let i = 0; i < mask.data.length; i++) {
      pixels.data.set([r, g, b, mask.data[i]! * 0.45], i * 4)
    }
    tctx.putImageData(pixels, 0, 0)
    context.drawImage(tinted, 0, 0, width, height)
  }

  const text = results['text-recognition']
  if (text && visible['text-recognition']) {
    const map = mapper(text)
    context.strokeStyle = colours['text-recognition']
    for (const { item: l } of shownLines(text.output, minScore['text-recognition'])) {
      context.beginPath()
      l.polygon.forEach(([x, y], i) => {
        const [px, py] = map(x, y)
        if (i === 0) context.moveTo(px, py)
        else context.lineTo(px, py)
      })
      context.closePath()
      context.stroke()
    }
  }

  const objects = results['object-detection']
  if (objects && visible['object-detection']) {
    const map = mapper(objects)
    const colour = colours['object-detection']
    for (const { item: o } of shownObjects(objects.output, minScore['object-detection'])) {
      const [x, y] = map(o.box.x, o.box.y)
      const [x2, y2] = map(o.box.x + o.box.width, o.box.y + o.box.height)
      context.strokeStyle = colour
      context.strokeRect(x, y, x2 - x, y2 - y)
      label(
        `${o.label} ${Math.round(o.score * 100)}%`,
        x + line,
        Math.max(font, y - line * 2),
        colour,
      )
    }
  }

  const faces = results['face-detection']
  if (faces && visible['face-detection']) {
    const map = mapper(faces)
    const colour = colours['face-detection']
    for (const { item: f } of shownFaces(faces.output, minScore['face-detection'])) {
      const [x, y] = map(f.box.x, f.box.y)
      const [x2, y2] = map(f.box.x + f.box.width, f.box.y + f.box.height)
      context.strokeStyle = colour
      context.strokeRect(x, y, x2 - x, y2 - y)
      context.fillStyle = colour
      for (const p of f.keypoints) dot(context, ...map(p.x, p.y), line * 1.5)
      if (showMesh && f.mesh) {
        context.fillStyle = 'rgba(255,255,255,0.8)'
        for (let i = 0; i < f.mesh.length; i += 3) {
          dot(context, ...map(f.mesh[i]!, f.mesh[i + 1]!), line * 0.5)
        }
      }
    }
  }
}

function dot(context: CanvasRenderingContext2D, x: number, y: number, r: number) {
  context.beginPath()
  context.arc(x, y, r, 0, Math.PI * 2)
  context.fill()
}

const hex = (colour: string): [number, number, number] => [
  Number.parseInt(colour.slice(1, 3), 16),
  Number.parseInt(colour.slice(3, 5), 16),
  Number.parseInt(colour.slice(5, 7), 16),
]
