import { ConversionError } from '../errors'
import type { GraphNode } from './model-json'
import type { DType } from './tensor'

const decodeBase64 = (s: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)))

function missing(node: GraphNode, key: string): never {
  throw new ConversionError(`${node.op} node ${node.name} has no "${key}" attribute.`)
}

export function attrInt(node: GraphNode, key: string, fallback?: number): number {
  const v = node.attr?.[key]?.i
  if (v === undefined) return fallback ?? missing(node, key)
  return Number(v)
}

export function attrFloat(node: GraphNode, key: string, fallback?: number): number {
  const v = node.attr?.[key]?.f
  if (v === undefined) return fallback ?? missing(node, key)
  return Number(v)
}

export function attrBool(node: GraphNode, key: string, fallback = false): boolean {
  return node.attr?.[key]?.b ?? fallback
}

export function attrString(node: GraphNode, key: string, fallback?: string): string {
  const v = node.attr?.[key]?.s
  if (v === undefined) return fallback ?? missing(node, key)
  return decodeBase64(v)
}

export function attrInts(node: GraphNode, key: string, fallback?: number[]): number[] {
  const v = node.attr?.[key]?.list
  if (v === undefined) return fallback ?? missing(node, key)
  return (v.i ?? []).map(Number)
}

export function attrStrings(node: GraphNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map(decodeBase64)
}

const dtypes: Record<string, DType> = {
  DT_FLOAT: 'float32',
  DT_INT32: 'int32',
  // TF.js holds int64 as int32.
  DT_INT64: 'int32',
  DT_BOOL: 'bool',
}

export function attrDtype(node: GraphNode, key: string): DType {
  const t = node.attr?.[key]?.type ?? missing(node, key)
  const dtype = dtypes[t]
  if (!dtype) {
    throw new ConversionError(
      `${node.op} node ${node.name}: dtype ${t} is not supported; expected one of ${Object.keys(dtypes).join(', ')}.`,
    )
  }
  return dtype
}

/** A `shape` attribute's dims, -1 where unknown. */
export function attrShape(node: GraphNode, key: string): number[] {
  const shape = node.attr?.[key]?.shape ?? missing(node, key)
  if (shape.unknownRank) {
    throw new ConversionError(`${node.op} node ${node.name} has a shape of unknown rank.`)
  }
  return (shape.dim ?? []).map((d) => Number(d.size ?? -1))
}
