import { ConversionError } from '../errors'

/** One attribute of a GraphDef node, as TF.js writes it into model.json (int64s are strings). */
export interface AttrValue {
  i?: string | number
  f?: number
  b?: boolean
  /** Base64. */
  s?: string
  type?: string
  shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean }
  list?: { i?: (string | number)[]; f?: number[]; s?: string[]; b?: boolean[]; type?: string[] }
  tensor?: unknown
}

export interface GraphNode {
  name: string
  op: string
  /** `name`, `name:index`, or `^name` for a control dependency. */
  input?: string[]
  attr?: Record<string, AttrValue>
}

/** One entry of `weightsManifest[].weights` (tfjs-core `WeightsManifestEntry`). */
export interface WeightSpec {
  name: string
  shape: number[]
  dtype: string
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string }
}

export interface TensorInfo {
  name: string
  dtype?: string
  tensorShape?: { dim?: { size?: string | number }[] }
}

/** The parts of a TF.js graph-model `model.json` the converter reads. */
export interface ModelJson {
  format?: string
  modelTopology: { node: GraphNode[] }
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[]
  signature?: { inputs?: Record<string, TensorInfo>; outputs?: Record<string, TensorInfo> }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** Checks the shape of a parsed model.json enough to walk it; throws ConversionError otherwise. */
export function parseModelJson(json: unknown): ModelJson {
  if (!isObject(json) || !isObject(json.modelTopology) || !Array.isArray(json.weightsManifest)) {
    throw new ConversionError(
      'Not a TF.js graph model: expected an object with modelTopology and weightsManifest.',
    )
  }
  if (json.format !== undefined && json.format !== 'graph-model') {
    throw new ConversionError(
      `Unsupported TF.js model format "${String(json.format)}"; only "graph-model" converts.`,
    )
  }
  const nodes = json.modelTopology.node
  if (
    !Array.isArray(nodes) ||
    !nodes.every((n) => isObject(n) && typeof n.name === 'string' && typeof n.op === 'string')
  ) {
    throw new ConversionError('model.json has no modelTopology.node list of {name, op} objects.')
  }
  const library = json.modelTopology.library
  if (isObject(library) && Array.isArray(library.function) && library.function.length > 0) {
    throw new ConversionError('Graphs with functions (control flow) are not supported.')
  }
  return json as unknown as ModelJson
}
