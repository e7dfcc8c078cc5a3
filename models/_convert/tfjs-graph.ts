import { readFileSync } from 'node:fs'
import path from 'node:path'
import { convertGraph } from './graph'
import { parseModelJson } from './model-json'
import { decodeWeights } from './weights'

/**
 * Converts a TF.js graph model (parsed model.json + its weight shards concatenated in manifest
 * order) to ONNX model bytes (IR 8, opset 13). Deterministic: the same input gives the same bytes.
 */
export function convertTfjsGraph(modelJson: unknown, weights: Uint8Array): Uint8Array {
  const model = parseModelJson(modelJson)
  const specs = model.weightsManifest.flatMap((group) => group.weights)
  return convertGraph(model, decodeWeights(specs, weights))
}

/** Reads a model.json and the shards its manifest lists (paths relative to it); see `convertTfjsGraph`. */
export function convertTfjsGraphFile(modelJsonPath: string): Uint8Array {
  const json: unknown = JSON.parse(readFileSync(modelJsonPath, 'utf8'))
  const model = parseModelJson(json)
  const dir = path.dirname(modelJsonPath)
  const shards = model.weightsManifest
    .flatMap((group) => group.paths)
    .map((p) => readFileSync(path.join(dir, p)))
  const weights = new Uint8Array(shards.reduce((n, s) => n + s.length, 0))
  let offset = 0
  for (const shard of shards) {
    weights.set(shard, offset)
    offset += shard.length
  }
  return convertTfjsGraph(json, weights)
}
