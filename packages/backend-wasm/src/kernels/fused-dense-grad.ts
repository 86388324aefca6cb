// PfmFusedDenseGrad on wasm: the backward pass of y = act(x·W + b) as one kernel giving
//   dz = dy ⊙ act′, read from the output y (linear: 1; relu: [y > 0]; selu: λ where y > 0, else
//        y + λα = λα·e^z, Klambauer et al. 2017, eq. 2 differentiated),
//   dx = dz·Wᵀ, dW = xᵀ·dz, db = Σ_rows dz.
// dz and db are one pass (db accumulated in float64, rows in order, as the Sum kernel does): for
// selu in the SELU SIMD module (simd/selu-simd-module.ts, 4 lanes, dzᵀ written by the same pass),
// else, and where WebAssembly SIMD is missing, in JavaScript; the two products run in the wasm
// BatchMatMul. Against autodiff of the composed layer: linear and relu are bit-identical (the same
// products and sums on the same values); selu's derivative on the negative side is y + λα instead
// of λα·exp(z), within a float32 rounding of it (its absolute error is about 1e-7·|dy|), with no
// exponential evaluated.
import * as tf from '@tensorflow/tfjs-core';
import { checkFusedDenseGradInputs } from '@pfm/backend-cpu/kernel-inputs';
import { KernelContext } from './kernel-context.js';
import { swapLastTwoAxes } from './swap-last-two-axes.js';
import type { WasmHeapBackend } from './wasm-heap.js';
import { seluSimd } from '../simd/selu-simd.js';

/**
 * The wasm kernel of `PfmFusedDenseGrad`: inputs dy `[n, m]`, x `[n, k]`, weight `[k, m]`, y `[n, m]`
 * (the forward output), attrs `{ activation }` → `[dx [n, k], dWeight [k, m], dBias [m]]`.
 */
export const fusedDenseGradKernel: tf.KernelFunc = (args) => {
  const { dy, x, weight, y } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; weight: tf.TensorInfo; y: tf.TensorInfo };
  const { n, k, m, activation } = checkFusedDenseGradInputs({ dy, x, weight, y }, args.attrs);
  // dW = xᵀ·dz sums over the n rows, so the stock product packs an n-row right operand: dz [n, m],
  // or x [n, k] when it is computed as dWᵀ = dzᵀ·x. Packing n·m values for a 3 → 64 input layer
  // cost as much as the product itself; the thinner of the two is packed, and dzᵀ is written by
  // the same pass as dz. Either way each dW value is the same sum of the same float32 products in
  // the same row order.
  const viaTransposedDz = k < m || (k === m && activation !== 'linear');
  const ctx = new KernelContext(args.backend);
  try {
    const dz = activation === 'linear' ? dy : ctx.empty([n, m], 'float32');
    const dzT = viaTransposedDz && activation !== 'linear' ? ctx.empty([m, n], 'float32') : undefined;
    const db = ctx.empty([m], 'float32');
    const backend = args.backend as WasmHeapBackend;
    const simd = activation === 'selu' ? seluSimd(backend) : undefined;
    // The SIMD pass sums db in float64 on the heap: m float64 of scratch.
    const acc64 = simd === undefined ? undefined : ctx.empty([2 * m], 'float32');
    // Every allocation of the pass is done: views of the heap stay valid until the products.
    const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
    const dbValues = backend.typedArrayFromHeap(db) as Float32Array;
    const acc = new Float64Array(m);
    if (simd !== undefined && acc64 !== undefined) {
      const at = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info).byteOffset;
      simd.seluGrad(at(dy), at(y), at(dz), dzT === undefined ? 0 : at(dzT), at(acc64), at(db), n, m);
    } else if (activation === 'linear') {
      columnSums(dyValues, acc, n, m);
    } else {
      const yValues = backend.typedArrayFromHeap(y) as Float32Array;
      const dzValues = backend.typedArrayFromHeap(dz) as Float32Array;
      const dzTValues = dzT === undefined ? undefined : (backend.typedArrayFromHeap(dzT) as Float32Array);
      if (activation === 'selu') seluDerivative(dyValues, yValues, dzValues, dzTValues, acc, n, m);
      else reluDerivative(dyValues, yValues, dzValues, dzTValues, acc, n, m);
    }
    if (simd === undefined) dbValues.set(acc);
    const dw = viaTransposedDz
      ? swapLastTwoAxes(ctx, ctx.run('BatchMatMul', { a: dzT ?? swapLastTwoAxes(ctx, dy), b: x }, { transposeA: false, transposeB: false }))
      : ctx.run('BatchMatMul', { a: x, b: dz }, { transposeA: true, transposeB: false });
    const dx = ctx.run('BatchMatMul', { a: dz, b: weight }, { transposeA: false, transposeB: true });
    return [ctx.keep(dx, [n, k]), ctx.keep(dw, [k, m]), ctx.keep(db)];
  } finally {
    ctx.dispose();
  }
};

function columnSums(dz: Float32Array, acc: Float64Array, n: number, m: number): void {
  for (let i = 0, at = 0; i < n; i++) for (let j = 0; j < m; j++, at++) acc[j] = acc[j]! + dz[at]!;
}

function reluDerivative(dy: Float32Array, y: Float32Array, dz: Float32Array, dzT: Float32Array | undefined, acc: Float64Array, n: number, m: number): void {
  // dy·1 or dy·0 as autodiff's dy·step(z) (−0 and NaN of dy kept alike); +(y > 0) needs no branch.
  for (let i = 0, at = 0; i < n; i++) {
    for (let j = 0; j < m; j++, at++) {
      const g = dy[at]! * +(y[at]! > 0);
      dz[at] = g;
      acc[j] = acc[j]! + Math.fround(g);
    }
  }
  if (dzT !== undefined) transposeInto(dz, dzT, n, m);
}

/** dzT [m, n] = dz [n, m]ᵀ, in blocks of 16 rows so that the strided writes stay in cache. */
function transposeInto(dz: Float32Array, dzT: Float32Array, n: number, m: number): void {
  for (let i0 = 0; i0 < n; i0 += 16) {
    const i1 = Math.min(n, i0 + 16);
    for (let j = 0; j < m; j++) for (let i = i0; i < i1; i++) dzT[j * n + i] = dz[i * m + j]!;
  }
}

function seluDerivative(dy: Float32Array, y: Float32Array, dz: Float32Array, dzT: Float32Array | undefined, acc: Float64Array, n: number, m: number): void {
  // λ rounded to float32, as autodiff multiplies by a float32 scalar on the positive side.
  const scale = Math.fround(tf.backend_util.SELU_SCALE);
  const scaleAlpha = tf.backend_util.SELU_SCALEALPHA;
  // Both slopes are written and one is picked by indexing: the sign of pre-activations is random,
  // and a branch on it is mispredicted half the time (measured 3x slower).
  const slopes = new Float64Array(2);
  slopes[1] = scale;
  for (let i = 0, at = 0; i < n; i++) {
    for (let j = 0; j < m; j++, at++) {
      const v = y[at]!;
      slopes[0] = v + scaleAlpha;
      const g = Math.fround(dy[at]! * slopes[+(v > 0)]!);
      dz[at] = g;
      acc[j] = acc[j]! + g;
    }
  }
  if (dzT !== undefined) transposeInto(dz, dzT, n, m);
}
