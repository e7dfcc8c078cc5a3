import { ConversionError } from '../errors'

export type PaddingMode = 'SAME' | 'VALID' | 'EXPLICIT'

/** Kernel extent once dilated. */
export const dilatedKernel = (kernel: number, dilation: number) => (kernel - 1) * dilation + 1

/**
 * Padding [before, after] of one spatial axis, as TensorFlow (and TF.js `conv_util`) computes it:
 * SAME pads to `ceil(in / stride)` outputs, the odd pixel going after; VALID pads nothing.
 */
export function tfPadding(
  mode: PaddingMode,
  inSize: number,
  kernel: number,
  stride: number,
  dilation = 1,
  explicit: readonly [number, number] = [0, 0],
): [number, number] {
  if (mode === 'VALID') return [0, 0]
  if (mode === 'EXPLICIT') return [explicit[0], explicit[1]]
  if (inSize < 0) throw new ConversionError('SAME padding needs a static spatial size.')
  const out = Math.ceil(inSize / stride)
  const total = Math.max(0, (out - 1) * stride + dilatedKernel(kernel, dilation) - inSize)
  const before = Math.floor(total / 2)
  return [before, total - before]
}

/** Output size of a convolution or pooling window along one axis (-1 stays unknown). */
export function windowOutSize(
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  [before, after]: readonly [number, number],
): number {
  if (inSize < 0) return -1
  return Math.floor((inSize + before + after - dilatedKernel(kernel, dilation)) / stride) + 1
}

/**
 * ONNX ConvTranspose pads and output_padding along one axis that reproduce TF's
 * Conv2DBackpropInput to `outSize`: TF pads as the forward convolution from `outSize` would, and
 * ONNX crops `pads` from the full transposed output, then appends `outputPadding` zeros.
 */
export function convTransposePadding(
  mode: PaddingMode,
  outSize: number,
  inSize: number,
  kernel: number,
  stride: number,
  dilation = 1,
  explicit: readonly [number, number] = [0, 0],
): { pads: [number, number]; outputPadding: number } {
  const [before, after] = tfPadding(mode, outSize, kernel, stride, dilation, explicit)
  const full = stride * (inSize - 1) + dilatedKernel(kernel, dilation)
  const outputPadding = outSize - (full - before - after)
  if (outputPadding < 0 || outputPadding >= stride) {
    throw new ConversionError(
      `A transposed convolution from ${inSize} to ${outSize} (kernel ${kernel}, stride ${stride}, ${mode}) is inconsistent.`,
    )
  }
  return { pads: [before, after], outputPadding }
}
