// Add, Sub, Multiply and RealDiv on wasm for the broadcasts the stock kernels run slowly: one
// side of the output's full size, the other repeated along the innermost axes in short runs, such
// as a group norm's statistics [n, 1, G, 1] against its input [n, h·w, G, C/G]. XNNPACK's
// n-dimensional kernel calls its vector microkernel once per innermost run, here 2 to 6 values
// long: some 6 ns per element, against 0.4 to 0.9 ns for equal shapes or runs of a row of
// channels. The repeated side is small; this kernel writes it out along its short innermost
// repeated axes ([n, 1, G, 1] → [n, 1, G, C/G]) and hands that to the stock kernel, whose
// innermost run is then a whole row of channels. Values are the stock kernel's (the same float32
// operation on the same operands), which are the cpu backend's (correctly rounded float32).
import * as tf from '@tensorflow/tfjs-core';
import { broadcastPattern } from './broadcast-pattern.js';
import { KernelContext } from './kernel-context.js';

/** The kernels `broadcastArithmetic` makes. */
export type BroadcastArithmeticKernelName = 'Add' | 'Sub' | 'Multiply' | 'RealDiv';

/**
 * Innermost repeated runs shorter than this many values are written out. Longer runs are a
 * vector-by-scalar microkernel call each, which XNNPACK runs fast.
 */
export const SHORT_RUN = 16;

/**
 * The output as merged axes, outermost first: `sizes[i]` and the stride `strides[i]` (0 or the
 * product of the inner kept sizes) of the broadcast side along it. Size-1 axes are dropped and
 * neighbouring axes that the broadcast side both keeps or both repeats are merged.
 */
export function mergedBroadcastAxes(partShape: readonly number[], outShape: readonly number[]): { sizes: number[]; strides: number[] } {
  const padded = [...new Array<number>(outShape.length - partShape.length).fill(1), ...partShape];
  const sizes: number[] = [];
  const kept: boolean[] = [];
  outShape.forEach((size, axis) => {
    if (size === 1) return;
    const keeps = padded[axis] === size;
    if (kept.length > 0 && kept[kept.length - 1] === keeps) sizes[sizes.length - 1]! *= size;
    else {
      sizes.push(size);
      kept.push(keeps);
    }
  });
  const strides = new Array<number>(sizes.length).fill(0);
  let stride = 1;
  for (let i = sizes.length - 1; i >= 0; i--) {
    if (kept[i]) {
      strides[i] = stride;
      stride *= sizes[i]!;
    }
  }
  return { sizes, strides };
}

/**
 * A wasm kernel for `kernelName` (Add, Sub, Multiply or RealDiv) for float32 or int32 inputs of
 * one dtype where one input has the output's size and the other is repeated along innermost
 * axes in runs shorter than `SHORT_RUN` values (`[n, h, G, c]` with `[n, 1, G, 1]`): the repeated
 * input is written out along those axes on the wasm heap, then `stock` runs. Every other case
 * goes to `stock` as it is. Values and dtype: those of `stock`.
 */
export function broadcastArithmetic(kernelName: BroadcastArithmeticKernelName, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== b.dtype || (a.dtype !== 'float32' && a.dtype !== 'int32')) return stock(args);
    // Equal sizes and scalars first and cheaply: nearly every call of a training step is one.
    const aSize = tf.util.sizeFromShape(a.shape);
    const bSize = tf.util.sizeFromShape(b.shape);
    if (aSize === bSize || aSize <= 1 || bSize <= 1) return stock(args);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = tf.util.sizeFromShape(outShape);
    const aFull = aSize === size;
    if ((!aFull && bSize !== size) || broadcastPattern(a.shape, b.shape, outShape).kind !== 'other') return stock(args);
    const part = aFull ? b : a;
    const { sizes, strides } = mergedBroadcastAxes(part.shape, outShape);
    // A pattern 'other' with a full side leaves at least two merged axes, a kept and a repeated one.
    const run = sizes[sizes.length - 1]!;
    if (strides[strides.length - 1] !== 0 || run >= SHORT_RUN) return stock(args);
    // part padded to the output's rank, its trailing repeated axes filled: [n, 1, G, 1] → [n, 1, G, C/G].
    const expandedShape = [...new Array<number>(outShape.length - part.shape.length).fill(1), ...part.shape];
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      if (outShape[axis] === 1) continue;
      if (expandedShape[axis] === outShape[axis]) break;
      expandedShape[axis] = outShape[axis]!;
    }
    const ctx = new KernelContext(args.backend);
    try {
      // Allocate before taking heap views: an allocation may grow (and detach) the heap.
      const expanded = ctx.empty(expandedShape, part.dtype);
      const from = ctx.backend.typedArrayFromHeap(part);
      const to = ctx.backend.typedArrayFromHeap(expanded);
      for (let i = 0, o = 0; i < from.length; i++, o += run) to.fill(from[i]!, o, o + run);
      return stock({ ...args, inputs: aFull ? { a, b: expanded } : { a: expanded, b } });
    } finally {
      ctx.dispose();
    }
  };
}
