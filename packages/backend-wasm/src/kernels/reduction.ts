// Sum, Mean, Max, Min and Prod on wasm. The stock kernels reduce innermost axes only: for any
// other axis they first transpose the whole input with the slow generic Transpose (axis 0 of
// a [512, 64] float32 Sum took 268 µs, axis 1 22 µs), and every bias gradient of a dense
// layer is such a sum. Here a reduction whose axes are innermost once size-1 axes are dropped
// goes to the stock kernel on a [kept, reduced] view of x; any other is done in JavaScript on
// the wasm heap by reduceValues, reading x once in memory order.
import * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';
import { groupReductionAxes, reduceValues, type ReductionOp } from './reduce-values.js';

/** The axis attribute of each reduction kernel (Max names it reductionIndices). */
const AXIS_ATTR: Record<ReductionOp, string> = { sum: 'axis', mean: 'axis', max: 'reductionIndices', min: 'axis', prod: 'axis' };

/**
 * A reduction kernel for wasm (`op` = the kernel Sum, Mean, Max, Min or Prod): x [d_0, ..., d_{r-1}]
 * with attributes axis (or reductionIndices) and keepDims -> x reduced over those axes. Output
 * dtype as the cpu backend: float32 for Mean, int32 for Sum and Prod of int32 or bool, else
 * x's. complex64 and string inputs go to the stock kernel.
 */
export function fixedReduction(op: ReductionOp, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return stock(args);
    const axisAttr = args.attrs?.[AXIS_ATTR[op]] as number | number[] | undefined;
    const keepDims = Boolean(args.attrs?.keepDims);
    const all = x.shape.map((_, axis) => axis);
    const axes = [...new Set(axisAttr == null ? all : tf.util.parseAxisParam(axisAttr, x.shape))].sort((a, b) => a - b);
    const [reducedShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const outShape = keepDims ? tf.backend_util.expandShapeToKeepDim(reducedShape, axes) : reducedShape;
    const outDtype: tf.DataType = op === 'mean' ? 'float32' : op === 'max' || op === 'min' ? x.dtype : x.dtype === 'float32' ? 'float32' : 'int32';
    const size = tf.util.sizeFromShape(x.shape);
    const ctx = new KernelContext(args.backend);
    const { sizes, reduced } = groupReductionAxes(x.shape, axes);
    const innermostOnly = reduced.length > 0 && reduced[reduced.length - 1] === true && reduced.indexOf(true) === reduced.length - 1;
    if (size > 0 && innermostOnly && x.dtype !== 'bool') {
      // The stock kernel reduces the innermost axis of [kept, reduced] without a transpose.
      const inner = sizes[sizes.length - 1] as number;
      const view = ctx.view(x, [size / inner, inner]);
      const out = stock({ inputs: { x: view }, backend: args.backend, attrs: { ...args.attrs, [AXIS_ATTR[op]]: 1, keepDims: false } });
      return { ...(out as tf.TensorInfo), shape: outShape };
    }
    // Allocate first: an allocation may grow the heap, which detaches views taken before it.
    const out = ctx.backend.makeOutput(outShape, outDtype);
    if (tf.util.sizeFromShape(outShape) > 0) {
      reduceValues(op, ctx.backend.typedArrayFromHeap(x), x.shape, axes, ctx.backend.typedArrayFromHeap(out));
    }
    return out;
  };
}
