import {
  operationSchema,
  type Operation,
  type OperationId,
  type OperationOf,
} from '../../../../models/_transform/recipe'

export type OperationGroup = 'Geometry' | 'Tone' | 'Filters'

export type Control =
  | {
      kind: 'slider'
      key: string
      label: string
      min: number
      max: number
      step: number
      unit?: string
    }
  | { kind: 'choice'; key: string; label: string; options: { value: string; label: string }[] }

interface Info<Id extends OperationId> {
  label: string
  /** Where the Add menu lists it; absent for operations made by their own tools. */
  group?: OperationGroup
  controls: Control[]
  /** A short summary of the parameters for the list of steps. */
  summary(operation: OperationOf<Id>): string
}

const slider = (
  key: string,
  label: string,
  min: number,
  max: number,
  step: number,
  unit?: string,
): Control => ({ kind: 'slider', key, label, min, max, step, unit })

const round = (value: number, digits = 1) => String(Number(value.toFixed(digits)))

/** Labels, Add-menu groups and parameter controls of every operation. */
export const operationInfo: { [Id in OperationId]: Info<Id> } = {
  'auto-orient': {
    label: 'Auto-orient (EXIF)',
    group: 'Geometry',
    controls: [],
    summary: () => '',
  },
  rotate: {
    label: 'Rotate',
    group: 'Geometry',
    controls: [
      slider('degrees', 'Angle', -180, 180, 0.5, '°'),
      {
        kind: 'choice',
        key: 'fill',
        label: 'New corners',
        options: [
          { value: 'black', label: 'Black' },
          { value: 'white', label: 'White' },
        ],
      },
    ],
    summary: (op) => `${round(op.degrees)}°`,
  },
  flip: {
    label: 'Flip',
    group: 'Geometry',
    controls: [
      {
        kind: 'choice',
        key: 'axis',
        label: 'Direction',
        options: [
          { value: 'horizontal', label: 'Horizontal' },
          { value: 'vertical', label: 'Vertical' },
        ],
      },
    ],
    summary: (op) => op.axis,
  },
  crop: {
    label: 'Crop',
    group: 'Geometry',
    controls: [],
    summary: (op) => `${Math.round(op.rect.width * 100)} × ${Math.round(op.rect.height * 100)} %`,
  },
  resize: {
    label: 'Resize',
    group: 'Geometry',
    controls: [slider('longSide', 'Long side', 16, 8192, 16, 'px')],
    summary: (op) => `${op.longSide} px`,
  },
  perspective: { label: 'Straighten page', controls: [], summary: () => '4 corners' },
  grayscale: { label: 'Grayscale', group: 'Tone', controls: [], summary: () => '' },
  adjust: {
    label: 'Brightness & contrast',
    group: 'Tone',
    controls: [
      slider('brightness', 'Brightness', -100, 100, 1),
      slider('contrast', 'Contrast', -100, 100, 1),
      slider('gamma', 'Gamma', 0.2, 5, 0.05),
    ],
    summary: (op) =>
      `${round(op.brightness, 0)} / ${round(op.contrast, 0)} / γ ${round(op.gamma, 2)}`,
  },
  'white-balance': { label: 'Auto white balance', group: 'Tone', controls: [], summary: () => '' },
  equalize: { label: 'Equalize histogram', group: 'Tone', controls: [], summary: () => '' },
  clahe: {
    label: 'Local contrast (CLAHE)',
    group: 'Tone',
    controls: [slider('clipLimit', 'Clip limit', 1, 10, 0.1), slider('tiles', 'Tiles', 2, 16, 1)],
    summary: (op) => `clip ${round(op.clipLimit)}, ${op.tiles} tiles`,
  },
  denoise: {
    label: 'Denoise (bilateral)',
    group: 'Filters',
    controls: [
      slider('strength', 'Strength', 1, 100, 1),
      slider('diameter', 'Neighbourhood', 3, 25, 2, 'px'),
    ],
    summary: (op) => `strength ${round(op.strength, 0)}`,
  },
  sharpen: {
    label: 'Sharpen',
    group: 'Filters',
    controls: [
      slider('amount', 'Amount', 0, 5, 0.05),
      slider('radius', 'Radius', 0.3, 20, 0.1, 'px'),
    ],
    summary: (op) => `${round(op.amount, 2)} at ${round(op.radius)} px`,
  },
  blur: {
    label: 'Blur',
    group: 'Filters',
    controls: [slider('radius', 'Radius', 0.3, 100, 0.1, 'px')],
    summary: (op) => `${round(op.radius)} px`,
  },
  canny: {
    label: 'Edges (Canny)',
    group: 'Filters',
    controls: [
      slider('low', 'Low threshold', 0, 500, 1),
      slider('high', 'High threshold', 0, 500, 1),
    ],
    summary: (op) => `${round(op.low, 0)}–${round(op.high, 0)}`,
  },
  threshold: {
    label: 'Black & white (adaptive)',
    group: 'Filters',
    controls: [
      slider('blockSize', 'Neighbourhood', 3, 255, 2, 'px'),
      slider('offset', 'Offset', -50, 50, 1),
    ],
    summary: (op) => `${op.blockSize} px, ${round(op.offset, 0)}`,
  },
  morphology: {
    label: 'Open / close',
    group: 'Filters',
    controls: [
      {
        kind: 'choice',
        key: 'kind',
        label: 'Operation',
        options: [
          { value: 'open', label: 'Open (remove specks)' },
          { value: 'close', label: 'Close (fill gaps)' },
        ],
      },
      slider('size', 'Size', 1, 51, 2, 'px'),
    ],
    summary: (op) => `${op.kind} ${op.size} px`,
  },
  redact: {
    label: 'Redact',
    controls: [],
    summary: (op) => {
      const on = op.regions.filter((region) => region.enabled).length
      return `${op.style}, ${on} of ${op.regions.length} regions`
    },
  },
}

/** A new operation with its default parameters; `extra` fills the required ones. */
export function createOperation<Id extends OperationId>(
  op: Id,
  extra: Partial<OperationOf<Id>> = {},
): OperationOf<Id> {
  return operationSchema.parse({ ...required[op], ...extra, op }) as OperationOf<Id>
}

const required: Partial<Record<OperationId, object>> = {
  rotate: { degrees: 90 },
  flip: { axis: 'horizontal' },
  crop: { rect: { x: 0, y: 0, width: 1, height: 1 } },
  resize: { longSide: 2048 },
  perspective: {
    corners: [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ],
  },
  morphology: { kind: 'open' },
  redact: { style: 'blur', regions: [] },
}

/** Sets one parameter of an operation, keeping the rest. */
export function withParameter(operation: Operation, key: string, value: unknown): Operation {
  return operationSchema.parse({ ...operation, [key]: value })
}
