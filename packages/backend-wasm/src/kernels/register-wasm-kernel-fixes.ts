import * as tf from '@tensorflow/tfjs-core';
import { fixedBatchMatMul } from './batch-mat-mul.js';
import { broadcastArithmetic } from './broadcast-arithmetic.js';
import { hostConcat } from './concat.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';
import { depthwiseConv2dBackpropFilterKernel } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInputKernel } from './depthwise-conv2d-backprop-input.js';
import { fusedDenseKernel } from './fused-dense.js';
import { fusedDenseGradKernel } from './fused-dense-grad.js';
import { fixedFusedMatMul } from './fused-mat-mul.js';
import { fixedGatherV2 } from './gather-v2.js';
import { groupNormKernel } from './group-norm.js';
import { groupNormGradKernel } from './group-norm-grad.js';
import { hostBinary } from './host-binary.js';
import { hostExp } from './host-exp.js';
import { hostSelect } from './host-select.js';
import { hostSlice } from './host-slice.js';
import { hostSelu } from './host-selu.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';
import { maxPoolGradKernel } from './max-pool-grad.js';
import { fixedReduction } from './reduction.js';
import { resizeNearestNeighborGrad } from './resize-nearest-neighbor-grad.js';
import { sharedIdentity, sharedSameDtypeCast } from './shared-identity.js';
import { hostSplitV } from './split-v.js';
import { tangentSlopeGradKernel, tangentSlopeKernel } from './tangent-slope.js';
import { fixedStridedSlice } from './strided-slice.js';
import { fixedTranspose } from './transpose.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

interface KernelFix {
  kernelName: string;
  /** Builds the corrected kernel from the stock one (absent when tfjs has none). */
  build(stock: tf.KernelFunc | undefined): tf.KernelFunc;
  /** Whether a stock wasm kernel must exist to be corrected. */
  needsStock: boolean;
}

const FIXES: KernelFix[] = [
  { kernelName: 'BatchMatMul', needsStock: true, build: (stock) => fixedBatchMatMul(stock as tf.KernelFunc) },
  { kernelName: '_FusedMatMul', needsStock: true, build: (stock) => fixedFusedMatMul(stock as tf.KernelFunc) },
  { kernelName: 'GatherV2', needsStock: true, build: (stock) => fixedGatherV2(stock as tf.KernelFunc) },
  { kernelName: 'UnsortedSegmentSum', needsStock: false, build: () => unsortedSegmentSumKernel },
  { kernelName: 'Conv2DBackpropFilter', needsStock: false, build: () => conv2dBackpropFilterKernel },
  { kernelName: 'Conv2DBackpropInput', needsStock: true, build: () => conv2dBackpropInputKernel },
  { kernelName: 'MaxPoolGrad', needsStock: true, build: () => maxPoolGradKernel },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', needsStock: false, build: () => depthwiseConv2dBackpropFilterKernel },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', needsStock: false, build: () => depthwiseConv2dBackpropInputKernel },
  { kernelName: 'StridedSlice', needsStock: true, build: (stock) => fixedStridedSlice(stock as tf.KernelFunc) },
  { kernelName: 'Identity', needsStock: true, build: (stock) => sharedIdentity(stock as tf.KernelFunc) },
  { kernelName: 'Cast', needsStock: true, build: (stock) => sharedSameDtypeCast(stock as tf.KernelFunc) },
  { kernelName: 'SplitV', needsStock: true, build: (stock) => hostSplitV(stock as tf.KernelFunc) },
  { kernelName: 'Concat', needsStock: true, build: (stock) => hostConcat(stock as tf.KernelFunc) },
  { kernelName: 'Transpose', needsStock: true, build: (stock) => fixedTranspose(stock as tf.KernelFunc) },
  { kernelName: 'Sum', needsStock: true, build: (stock) => fixedReduction('sum', stock as tf.KernelFunc) },
  { kernelName: 'Mean', needsStock: true, build: (stock) => fixedReduction('mean', stock as tf.KernelFunc) },
  { kernelName: 'Max', needsStock: true, build: (stock) => fixedReduction('max', stock as tf.KernelFunc) },
  { kernelName: 'Min', needsStock: true, build: (stock) => fixedReduction('min', stock as tf.KernelFunc) },
  { kernelName: 'Prod', needsStock: true, build: (stock) => fixedReduction('prod', stock as tf.KernelFunc) },
  { kernelName: 'Exp', needsStock: true, build: (stock) => hostExp(stock as tf.KernelFunc) },
  { kernelName: 'Selu', needsStock: true, build: (stock) => hostSelu(stock as tf.KernelFunc) },
  { kernelName: 'Select', needsStock: true, build: (stock) => hostSelect(stock as tf.KernelFunc) },
  { kernelName: 'Slice', needsStock: true, build: (stock) => hostSlice(stock as tf.KernelFunc) },
  { kernelName: 'Greater', needsStock: true, build: (stock) => hostBinary('Greater', stock as tf.KernelFunc) },
  { kernelName: 'GreaterEqual', needsStock: true, build: (stock) => hostBinary('GreaterEqual', stock as tf.KernelFunc) },
  { kernelName: 'Less', needsStock: true, build: (stock) => hostBinary('Less', stock as tf.KernelFunc) },
  { kernelName: 'LessEqual', needsStock: true, build: (stock) => hostBinary('LessEqual', stock as tf.KernelFunc) },
  { kernelName: 'Equal', needsStock: true, build: (stock) => hostBinary('Equal', stock as tf.KernelFunc) },
  { kernelName: 'NotEqual', needsStock: true, build: (stock) => hostBinary('NotEqual', stock as tf.KernelFunc) },
  { kernelName: 'Minimum', needsStock: true, build: (stock) => hostBinary('Minimum', stock as tf.KernelFunc) },
  { kernelName: 'Maximum', needsStock: true, build: (stock) => hostBinary('Maximum', stock as tf.KernelFunc) },
  { kernelName: 'Add', needsStock: true, build: (stock) => broadcastArithmetic('Add', stock as tf.KernelFunc) },
  { kernelName: 'Sub', needsStock: true, build: (stock) => broadcastArithmetic('Sub', stock as tf.KernelFunc) },
  { kernelName: 'Multiply', needsStock: true, build: (stock) => broadcastArithmetic('Multiply', stock as tf.KernelFunc) },
  { kernelName: 'RealDiv', needsStock: true, build: (stock) => broadcastArithmetic('RealDiv', stock as tf.KernelFunc) },
  { kernelName: 'ResizeNearestNeighborGrad', needsStock: true, build: (stock) => resizeNearestNeighborGrad(stock as tf.KernelFunc) },
  { kernelName: 'PfmFusedDense', needsStock: false, build: () => fusedDenseKernel },
  { kernelName: 'PfmFusedDenseGrad', needsStock: false, build: () => fusedDenseGradKernel },
  { kernelName: 'PfmGroupNorm', needsStock: false, build: () => groupNormKernel },
  { kernelName: 'PfmGroupNormGrad', needsStock: false, build: () => groupNormGradKernel },
  { kernelName: 'PfmTangentSlope', needsStock: false, build: () => tangentSlopeKernel },
  { kernelName: 'PfmTangentSlopeGrad', needsStock: false, build: () => tangentSlopeGradKernel },
];

/**
 * Replaces the wasm kernels of tfjs-backend-wasm 4.22 that are wrong, slow or missing:
 * `_FusedMatMul` (wrong with a bias and a transpose or a batch), `GatherV2` (wrong for
 * batchDims > 0), `BatchMatMul` (10-20x slower with a transpose), `UnsortedSegmentSum`
 * (absent; the gradient of tf.gather needs it) and `StridedSlice` (a strided int32 or bool
 * slice comes back labelled float32), `Cast` to bool (2 stays 2 instead of becoming true),
 * and makes `Identity` and same-dtype `Cast` share the input's buffer instead of copying it
 * (some 40 copies per training step). Each corrected kernel calls the stock wasm kernels, so
 * it stays fast. `Transpose` and the reductions `Sum`, `Mean`, `Max`, `Min` and `Prod` over
 * non-innermost axes are host kernels: JavaScript loops on the wasm heap (a tiled copy for
 * swapped last axes, a row-wise float64 accumulation), 5-10x faster than the stock generic
 * transpose they replace; so are `SplitV` and `Concat` (one strided row copy per piece instead
 * of a typed-array `set` per innermost row); innermost reductions still run the stock kernels. `Exp`, `Selu`, the
 * comparisons `Greater`, `GreaterEqual`, `Less`, `LessEqual`, `Equal`, `NotEqual` and `Minimum`,
 * `Maximum` are host kernels too, about 2x faster than the stock scalar loops: exp by table
 * range reduction within 1 ulp of float32 (the stock Exp of a bool is garbage), SELU accurate
 * near 0, NaN in `Minimum`/`Maximum` as on the cpu backend; equal shapes, a scalar or a trailing
 * block (a bias row) run in JavaScript, other broadcasts in the stock kernels. `Add`, `Sub`,
 * `Multiply` and `RealDiv` write out an input repeated in short innermost runs (a group norm's
 * statistics [n, 1, G, 1] against [n, h·w, G, C/G]) before the stock kernel runs, which costs
 * some 6 ns per element on such runs and under 1 ns on a row of channels.
 * `ResizeNearestNeighborGrad` (a window search per output value, halfPixelCenters ignored) adds
 * each dy pixel into its source pixel in one pass, as the cpu backend does. `Select` runs in
 * JavaScript for bool or mixed-dtype t and e (the stock kernel copies 4-byte elements: wrong, and
 * past the output, for bool). `Slice` of float32 or int32 and `GatherV2` with batchDims 0 are
 * host loops too (one typed-array copy per innermost run; about 6× and 10× faster than the stock
 * kernels on the column selections of a coupling flow over 784 pixels). For training convolutions: `Conv2DBackpropFilter` (absent in
 * tfjs-backend-wasm) as transposed im2col patches times dy in the wasm matMul,
 * `Conv2DBackpropInput` (a direct loop, 4-10x slower) as the stock XNNPACK `Conv2D` of dy by the
 * flipped filter at stride 1 and matMul + col2im otherwise, and `MaxPoolGrad` (loses gradient
 * with 'same' padding) as a host loop, and the depthwise gradients
 * `DepthwiseConv2dNativeBackpropFilter` and `...Input` (absent) as host loops. Two kernels of
 * pfm's own, `PfmFusedDense` (act(x·W + b), act ∈ {linear, relu, selu}) and `PfmFusedDenseGrad`
 * (its dx, dW, db in one call), let `@pfm/core`'s mlp run a dense layer as one kernel each way, and
 * `PfmTangentSlope` (a forward-mode tangent times the layer's slope σ′ read from its output) and
 * `PfmTangentSlopeGrad` (its backward pass, with the σ″ term) let a CNF's exact trace take each
 * layer's tangent step as one kernel each way;
 * `PfmGroupNorm` (y and each group's μ, σ⁻¹) and `PfmGroupNormGrad` (dx, dγ, dβ) let its group
 * norm run as one host kernel each way. Idempotent; `wasm().init()` calls it. Needs tfjs-backend-wasm's
 * stock kernels registered (importing `@pfm/backend-wasm` or `wasm().init()` does that); throws
 * naming the first missing kernel otherwise.
 */
export function registerWasmKernelFixes(): void {
  for (const fix of FIXES) {
    const stock = tf.getKernel(fix.kernelName, 'wasm');
    if (stock != null && kernelFixRegistry.isFixed(stock.kernelFunc)) continue;
    if (stock == null && fix.needsStock) {
      throw new Error(
        `@pfm/backend-wasm: the wasm kernel '${fix.kernelName}' is not registered; ` +
          'expected @tensorflow/tfjs-backend-wasm 4.22 to be loaded with its kernels',
      );
    }
    const kernelFunc = kernelFixRegistry.mark(fix.build(stock?.kernelFunc));
    if (stock != null) {
      kernelFixRegistry.saveStock(stock);
      tf.unregisterKernel(fix.kernelName, 'wasm');
    }
    const config: tf.KernelConfig = { kernelName: fix.kernelName, backendName: 'wasm', kernelFunc };
    // The stock setup binds the stock kernel to the wasm module; the corrected kernel calls
    // the stock one, so the setup must still run whenever the backend starts.
    if (stock?.setupFunc != null) config.setupFunc = stock.setupFunc;
    if (stock?.disposeFunc != null) config.disposeFunc = stock.disposeFunc;
    tf.registerKernel(config);
  }
}
