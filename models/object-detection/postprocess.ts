import { iou, nms, type Box } from '../_shared/boxes'
import { TaskOutputError } from '../errors'
import type { TensorLike, Tensors } from '../types'
import { labels, type Label } from './labels'
import { inputSize, type Meta } from './preprocess'

export interface DetectedObject {
  label: Label
  /** Class probability, 0–1. */
  score: number
  /** Image pixels, clipped to the image. */
  box: Box
}

export interface Result {
  /** Best first. */
  objects: DetectedObject[]
  /** Distinct labels of objects scoring at least `tagScore`, best first. */
  tags: Label[]
}

export interface PostprocessOptions {
  /** Candidates scoring below this (0–1) are dropped before NMS. */
  minScore: number
  /** Within a class, a box overlapping a better one by more than this IoU is dropped. */
  iouThreshold: number
  maxObjects: number
  /** Objects need at least this score (0–1) to make their label a tag. */
  tagScore: number
}

/** Feature-map strides of the three detection levels, in model pixels. */
export const strides = [8, 16, 32] as const
/** Bins per box side of the GFL distance distribution (NanoDet `reg_max` 10, plus the zero bin). */
export const bins = 11
const classCount = labels.length
/** Candidates per class kept for NMS, best first (mmdet's `nms_pre`); bounds the NMS cost. */
const maxCandidatesPerClass = 1000

/**
 * Expected value of a softmax distribution over `count` bins 0…count−1, read from `logits` at
 * `offset`: GFL's box-side distance in units of the level's stride.
 */
export function distributionExpectation(
  logits: ArrayLike<number>,
  offset: number,
  count: number,
): number {
  let max = -Infinity
  for (let k = 0; k < count; k++) max = Math.max(max, logits[offset + k]!)
  let sum = 0
  let weighted = 0
  for (let k = 0; k < count; k++) {
    const e = Math.exp(logits[offset + k]! - max)
    sum += e
    weighted += e * k
  }
  return weighted / sum
}

/** A detection before NMS. */
export interface Candidate {
  classIndex: number
  score: number
  /** Model pixels. */
  box: Box
}

/**
 * One detection level → candidates in model pixels. `scores` is [cells², 80] of class
 * probabilities (the model applies the sigmoid), `distances` is [cells², 4 × 11] logits for the
 * left, top, right and bottom distances from the cell centre (column + 0.5, row + 0.5) × stride.
 */
function decodeLevel(
  scores: ArrayLike<number>,
  distances: ArrayLike<number>,
  stride: number,
  minScore: number,
): Candidate[] {
  const cells = Math.round(inputSize / stride)
  const out: Candidate[] = []
  for (let cell = 0; cell < cells * cells; cell++) {
    let box: Box | undefined
    for (let c = 0; c < classCount; c++) {
      const score = scores[cell * classCount + c]!
      if (score < minScore) continue
      box ??= cellBox(distances, cell, cells, stride)
      out.push({ classIndex: c, score, box })
    }
  }
  return out
}

function cellBox(distances: ArrayLike<number>, cell: number, cells: number, stride: number): Box {
  const centerX = ((cell % cells) + 0.5) * stride
  const centerY = (Math.floor(cell / cells) + 0.5) * stride
  const side = (i: number) =>
    distributionExpectation(distances, (cell * 4 + i) * bins, bins) * stride
  const left = side(0)
  const top = side(1)
  const right = side(2)
  const bottom = side(3)
  return { x: centerX - left, y: centerY - top, width: left + right, height: top + bottom }
}

/** NMS within each class only, so a dog on a bicycle keeps both boxes; best first. */
export function classwiseNms(candidates: readonly Candidate[], iouThreshold: number): Candidate[] {
  const byClass = new Map<number, Candidate[]>()
  for (const candidate of candidates) {
    const list = byClass.get(candidate.classIndex)
    if (list) list.push(candidate)
    else byClass.set(candidate.classIndex, [candidate])
  }
  const kept: Candidate[] = []
  for (const list of byClass.values()) {
    const best = list.sort((a, b) => b.score - a.score).slice(0, maxCandidatesPerClass)
    kept.push(...nms(best, iouThreshold))
  }
  return kept.sort((a, b) => b.score - a.score)
}

/**
 * Above this IoU, two boxes of different classes are one object that NanoDet-m could not place
 * (horse/cow, dog/cat, car/truck); only the better-scored label stays. Distinct objects that
 * overlap, like a dog on a bicycle, stay far below it.
 */
export const sameObjectIou = 0.7

/** Drops a box when a better one of another class covers the same object; best first. */
export function suppressAcrossClasses(
  kept: readonly Candidate[],
  iouThreshold = sameObjectIou,
): Candidate[] {
  const out: Candidate[] = []
  for (const candidate of [...kept].sort((a, b) => b.score - a.score)) {
    const covered = out.some(
      (better) =>
        better.classIndex !== candidate.classIndex && iou(better.box, candidate.box) > iouThreshold,
    )
    if (!covered) out.push(candidate)
  }
  return out
}

/** Raw NanoDet outputs (found by shape) → objects in image pixels and the image's tags. */
export function postprocess(outputs: Tensors, meta: Meta, options: PostprocessOptions): Result {
  const candidates = strides.flatMap((stride) => {
    const cellCount = (inputSize / stride) ** 2
    return decodeLevel(
      outputOfShape(outputs, [1, cellCount, classCount]).data,
      outputOfShape(outputs, [1, cellCount, 4 * bins]).data,
      stride,
      options.minScore,
    )
  })
  const round = (v: number) => Math.round(v * 10) / 10
  const toImage = (box: Box): Box => {
    const x1 = clamp((box.x - meta.padX) / meta.scaleX, meta.width)
    const y1 = clamp((box.y - meta.padY) / meta.scaleY, meta.height)
    const x2 = clamp((box.x + box.width - meta.padX) / meta.scaleX, meta.width)
    const y2 = clamp((box.y + box.height - meta.padY) / meta.scaleY, meta.height)
    return { x: round(x1), y: round(y1), width: round(x2 - x1), height: round(y2 - y1) }
  }
  const objects = suppressAcrossClasses(classwiseNms(candidates, options.iouThreshold))
    .slice(0, options.maxObjects)
    .map(({ classIndex, score, box }) => ({
      label: labels[classIndex]!,
      score: Math.round(score * 1e4) / 1e4,
      box: toImage(box),
    }))
  return { objects, tags: tagsOf(objects, options.tagScore) }
}

/** Distinct labels of objects scoring at least `tagScore`, best first. */
export function tagsOf(objects: readonly DetectedObject[], tagScore: number): Label[] {
  const tags = new Set<Label>()
  for (const { label, score } of [...objects].sort((a, b) => b.score - a.score)) {
    if (score >= tagScore) tags.add(label)
  }
  return [...tags]
}

const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v))

function outputOfShape(outputs: Tensors, dims: readonly number[]): TensorLike {
  const found = Object.values(outputs).find(
    (t) => t.dims.length === dims.length && t.dims.every((d, i) => d === dims[i]),
  )
  if (!found || !(found.data instanceof Float32Array)) {
    const got = Object.entries(outputs)
      .map(([name, t]) => `${name} ${t.data.constructor.name}[${t.dims.join(',')}]`)
      .join(', ')
    throw new TaskOutputError(
      `object-detection: expected a float32 output of shape [${dims.join(',')}]; got ${got || 'none'}.`,
    )
  }
  return found
}
