import { ConversionError } from '../errors'
import { attrDtype, attrShape } from './attrs'
import { constValue, ConvertContext, type Value } from './context'
import type { GraphNode, ModelJson } from './model-json'
import { GraphBuilder, type ValueInfo } from './onnx-builder'
import { emitters, folders } from './ops'
import { makeTensor, type ConstTensor } from './tensor'

/** `node:2` → ['node', 2]; `node` → ['node', 0]. */
function parseRef(ref: string): [string, number] {
  const match = /^(.*):(\d+)$/.exec(ref)
  return match ? [match[1]!, Number(match[2])] : [ref, 0]
}

const dataInputs = (node: GraphNode) => (node.input ?? []).filter((i) => !i.startsWith('^'))

/** Natural order, so `Identity_2` sorts before `Identity_10`. */
function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.split(/(\d+)/).map((part, i) => (i % 2 ? Number(part) : part))
  const x = split(a)
  const y = split(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!
    const q = y[i]!
    if (p !== q) {
      return typeof p === 'number' && typeof q === 'number' ? p - q : String(p) < String(q) ? -1 : 1
    }
  }
  return x.length - y.length
}

/** A readable ONNX name for a signature key or tensor name: `Identity_2:0` → `Identity_2`. */
export const readableName = (name: string) => name.replace(/:0$/, '').replace(/:(\d+)$/, '_$1')

/** The graph's outputs: the signature's, else every tensor no node consumes. */
function graphOutputs(
  model: ModelJson,
  nodes: Map<string, GraphNode>,
): { name: string; ref: string }[] {
  const signature = model.signature?.outputs
  if (signature && Object.keys(signature).length > 0) {
    return Object.entries(signature)
      .map(([key, info]) => ({ name: readableName(key), ref: info.name }))
      .sort((a, b) => naturalCompare(a.name, b.name))
  }
  const consumed = new Set(
    [...nodes.values()].flatMap((n) => dataInputs(n).map((i) => parseRef(i)[0])),
  )
  return [...nodes.values()]
    .filter((n) => !consumed.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp')
    .map((n) => ({ name: readableName(n.name), ref: n.name }))
    .sort((a, b) => naturalCompare(a.name, b.name))
}

/** Nodes the outputs depend on, inputs before consumers, in a stable depth-first order. */
function topologicalOrder(nodes: Map<string, GraphNode>, roots: readonly string[]): GraphNode[] {
  const order: GraphNode[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (start: string) => {
    const stack: { node: GraphNode; next: number }[] = []
    const push = (name: string) => {
      const node = nodes.get(name)
      if (!node) {
        throw new ConversionError(`The graph refers to a node "${name}" it does not contain.`)
      }
      if (state.get(name) === 'done') return
      if (state.get(name) === 'open') {
        throw new ConversionError(`The graph has a cycle through node ${name}.`)
      }
      state.set(name, 'open')
      stack.push({ node, next: 0 })
    }
    push(start)
    while (stack.length > 0) {
      const top = stack.at(-1)!
      const inputs = dataInputs(top.node)
      if (top.next < inputs.length) {
        push(parseRef(inputs[top.next++]!)[0])
      } else {
        stack.pop()
        state.set(top.node.name, 'done')
        order.push(top.node)
      }
    }
  }
  for (const root of roots) visit(root)
  return order
}

/** Converts a parsed TF.js graph model with decoded weights to ONNX model bytes. */
export function convertGraph(
  model: ModelJson,
  weights: ReadonlyMap<string, ConstTensor>,
): Uint8Array {
  const nodes = new Map<string, GraphNode>()
  for (const node of model.modelTopology.node) {
    if (nodes.has(node.name)) throw new ConversionError(`Two nodes are named ${node.name}.`)
    nodes.set(node.name, node)
  }
  const outputs = graphOutputs(model, nodes)
  const order = topologicalOrder(
    nodes,
    outputs.map((o) => parseRef(o.ref)[0]),
  )

  const graph = new GraphBuilder()
  const ctx = new ConvertContext(graph)
  const values = new Map<string, Value>()
  const inputs: ValueInfo[] = []
  const valueOf = (ref: string): Value => {
    const [name, index] = parseRef(ref)
    const value = values.get(`${name}:${index}`)
    if (!value) throw new ConversionError(`Node ${name} has no output ${index}.`)
    return value
  }

  for (const node of order) {
    let outs: Value[]
    if (node.op === 'Placeholder') {
      const input = {
        name: graph.unique(node.name),
        dtype: attrDtype(node, 'dtype'),
        shape: attrShape(node, 'shape'),
      }
      inputs.push(input)
      outs = [input]
    } else if (node.op === 'Const') {
      const tensor = weights.get(node.name)
      if (!tensor) {
        throw new ConversionError(`Const node ${node.name} has no entry in the weights manifest.`)
      }
      outs = [constValue(node.name, tensor)]
    } else {
      const args = dataInputs(node).map(valueOf)
      const folder = folders[node.op]
      if (node.op === 'Shape' && args[0] && args[0].shape.every((d) => d >= 0)) {
        outs = [
          constValue(
            `${node.name}#folded`,
            makeTensor('int32', [args[0].shape.length], args[0].shape),
          ),
        ]
      } else if (folder && args.length > 0 && args.every((a) => a.const)) {
        const folded = folder(
          node,
          args.map((a) => a.const!),
        )
        outs = [constValue(`${node.name}#folded`, folded)]
      } else {
        const emit = emitters[node.op]
        if (!emit) {
          throw new ConversionError(
            `Op ${node.op} (node ${node.name}) is not supported. Supported ops: ${Object.keys(emitters).sort().join(', ')}.`,
          )
        }
        const result = emit(ctx, node, args)
        outs = Array.isArray(result) ? result : [result]
      }
    }
    outs.forEach((v, i) => values.set(`${node.name}:${i}`, v))
  }

  // Name the outputs readably: rename the value where that is safe, else add an Identity.
  const renameValue = (from: string, to: string) => {
    graph.rename(from, to)
    for (const [key, v] of values) if (v.name === from) values.set(key, { ...v, name: to })
  }
  const outputInfos: ValueInfo[] = []
  const used = new Set<string>()
  for (const output of outputs) {
    let value = valueOf(output.ref)
    let target = output.name
    if (value.name !== target) {
      if (graph.isTaken(target) && graph.isNodeOutput(target) && !used.has(target)) {
        renameValue(target, graph.freeName(`${target}#internal`))
        value = valueOf(output.ref)
      }
      target = graph.freeName(target)
      if (!value.const && graph.isNodeOutput(value.name) && !used.has(value.name)) {
        renameValue(value.name, target)
      } else {
        graph.addNode('Identity', [ctx.ref(value)], [graph.unique(target)])
      }
    }
    used.add(target)
    outputInfos.push({ name: target, dtype: value.dtype, shape: value.shape })
  }
  graph.prune(outputInfos.map((o) => o.name))
  return graph.encode('tfjs-graph', inputs, outputInfos)
}
