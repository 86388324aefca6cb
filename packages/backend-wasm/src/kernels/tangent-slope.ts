// PfmTangentSlope and PfmTangentSlopeGrad on wasm: one layer's step of the forward-mode tangents of
// a CNF's exact trace (Chen et al. 2018, eq. 4) through y = act(a), act ∈ {linear, relu, selu},
//   U[i·r + j] = T[i·r + j] ⊙ σ'(a_i)   (r tangents per point; T may be one [r, w] block for all points),
// and its backward pass given G_U = ∂L/∂U and the value path's G_y = ∂L/∂y:
//   ∂L/∂T = G_U ⊙ σ'(a) (summed over the points when T is shared),
//   G_y + (σ''/σ')(a) ⊙ Σ_j G_U ⊙ T,  the cotangent of y for the layer's PfmFusedDenseGrad,
// with σ' read from y (relu: 1[y > 0]; selu: λ where y > 0, else y + λα = λα·e^a, and σ''/σ' = 1[y ≤ 0],
// Klambauer et al. 2017, eq. 2). Each replaces four to six kernels of the composed path (Greater,
// Select, Add, Multiply and reshapes forward; Multiply, Sum, Select, Add backward) with one pass
// over the wasm heap: selu and relu rows of a multiple of 4 in the SIMD module
// (simd/tangent-slope-simd.ts), the rest, and engines without WebAssembly SIMD, in JavaScript.
// Every product and sum is float32, in the cpu reference's order (@pfm/backend-cpu): the same bits.
import * as tf from '@tensorflow/tfjs-core';
import { checkTangentSlopeGradInputs, checkTangentSlopeInputs, type TangentSlopeGeometry } from '@pfm/backend-cpu/kernel-inputs';
import type { WasmHeapBackend } from './wasm-heap.js';
import { seluSimd, type SeluSimd } from '../simd/selu-simd.js';

const SCALE = Math.fround(tf.backend_util.SELU_SCALE);
const SCALE_ALPHA = Math.fround(tf.backend_util.SELU_SCALEALPHA);

/** The SIMD module where it runs these rows (selu or relu, w a multiple of 4), else undefined. */
function simdFor(backend: WasmHeapBackend, { w, activation }: TangentSlopeGeometry): SeluSimd | undefined {
  return activation !== 'linear' && w % 4 === 0 ? seluSimd(backend) : undefined;
}

/**
 * σ'(a) of row `at` of y into `slope` and σ''/σ' into `mask`. The sign of a pre-activation is
 * random, so both values are written to a two-slot array and one is picked by index, no branch.
 */
function slopeRow(y: Float32Array, at: number, w: number, activation: string, slope: Float32Array, mask: Float32Array): void {
  if (activation === 'linear') {
    slope.fill(1);
    mask.fill(0);
    return;
  }
  const selu = activation === 'selu';
  const slots = new Float32Array(2);
  slots[1] = selu ? SCALE : 1;
  for (let c = 0; c < w; c++) {
    const v = y[at + c]!;
    const positive = +(v > 0);
    slots[0] = selu ? v + SCALE_ALPHA : 0;
    slope[c] = slots[positive]!;
    mask[c] = selu ? 1 - positive : 0;
  }
}

/**
 * The wasm kernel of `PfmTangentSlope`: inputs tangent `[n·r, w]` (or `[r, w]`, shared by the
 * points), y `[n, w]` (the layer's output), attrs `{ activation, directions: r }` → U `[n·r, w]`.
 */
export const tangentSlopeKernel: tf.KernelFunc = (args) => {
  const { tangent, y } = args.inputs as { tangent: tf.TensorInfo; y: tf.TensorInfo };
  const geometry = checkTangentSlopeInputs({ tangent, y }, args.attrs);
  const { n, r, w, shared, activation } = geometry;
  const backend = args.backend as WasmHeapBackend;
  const out = backend.makeOutput([n * r, w], 'float32');
  if (n * r * w === 0) return out;
  const t = backend.typedArrayFromHeap(tangent) as Float32Array;
  const yv = backend.typedArrayFromHeap(y) as Float32Array;
  const u = backend.typedArrayFromHeap(out) as Float32Array;
  const simd = simdFor(backend, geometry);
  if (simd !== undefined) {
    (activation === 'selu' ? simd.tangentSlope_selu : simd.tangentSlope_relu)(t.byteOffset, yv.byteOffset, u.byteOffset, n, r, w, shared ? 1 : 0);
    return out;
  }
  const slope = new Float32Array(w);
  const mask = new Float32Array(w);
  for (let i = 0; i < n; i++) {
    slopeRow(yv, i * w, w, activation, slope, mask);
    for (let j = 0, to = i * r * w; j < r; j++, to += w) {
      const from = shared ? j * w : to;
      for (let c = 0; c < w; c++) u[to + c] = t[from + c]! * slope[c]!;
    }
  }
  return out;
};

/**
 * The wasm kernel of `PfmTangentSlopeGrad`: inputs dy = G_U `[n·r, w]`, tangent (as the forward),
 * y `[n, w]`, dValue = G_y `[n, w]`, attrs as the forward → `[dTangent (tangent's shape), dValue′ [n, w]]`.
 * The sums over the r tangents and, for a shared T, over the points run in float32, in order.
 */
export const tangentSlopeGradKernel: tf.KernelFunc = (args) => {
  const { dy, tangent, y, dValue } = args.inputs as { dy: tf.TensorInfo; tangent: tf.TensorInfo; y: tf.TensorInfo; dValue: tf.TensorInfo };
  const geometry = checkTangentSlopeGradInputs({ dy, tangent, y, dValue }, args.attrs);
  const { n, r, w, shared, activation } = geometry;
  const backend = args.backend as WasmHeapBackend;
  // Both outputs before any view: an allocation may grow (and detach) the heap.
  const dTangent = backend.makeOutput([...tangent.shape], 'float32');
  const dOut = backend.makeOutput([n, w], 'float32');
  if (n * w === 0) {
    if (tangent.shape[0]! * w > 0) (backend.typedArrayFromHeap(dTangent) as Float32Array).fill(0);
    return [dTangent, dOut];
  }
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const t = backend.typedArrayFromHeap(tangent) as Float32Array;
  const yv = backend.typedArrayFromHeap(y) as Float32Array;
  const gy = backend.typedArrayFromHeap(dValue) as Float32Array;
  const gt = backend.typedArrayFromHeap(dTangent) as Float32Array;
  const go = backend.typedArrayFromHeap(dOut) as Float32Array;
  const simd = simdFor(backend, geometry);
  if (simd !== undefined) {
    const grad = activation === 'selu' ? simd.tangentSlopeGrad_selu : simd.tangentSlopeGrad_relu;
    grad(g.byteOffset, t.byteOffset, yv.byteOffset, gy.byteOffset, gt.byteOffset, go.byteOffset, n, r, w, shared ? 1 : 0);
    return [dTangent, dOut];
  }
  const sharedSum = shared ? new Float32Array(r * w) : undefined;
  const slope = new Float32Array(w);
  const mask = new Float32Array(w);
  const gS = new Float32Array(w);
  const tangentSum = activation === 'selu';
  for (let i = 0; i < n; i++) {
    slopeRow(yv, i * w, w, activation, slope, mask);
    if (tangentSum) gS.fill(0);
    for (let j = 0, at = i * r * w; j < r; j++, at += w) {
      const from = shared ? j * w : at;
      if (tangentSum) for (let c = 0; c < w; c++) gS[c] = gS[c]! + Math.fround(g[at + c]! * t[from + c]!);
      if (sharedSum === undefined) {
        for (let c = 0; c < w; c++) gt[at + c] = g[at + c]! * slope[c]!;
      } else {
        const to = j * w;
        for (let c = 0; c < w; c++) sharedSum[to + c] = sharedSum[to + c]! + Math.fround(g[at + c]! * slope[c]!);
      }
    }
    const row = i * w;
    if (tangentSum) for (let c = 0; c < w; c++) go[row + c] = mask[c] ? gy[row + c]! + gS[c]! : gy[row + c]!;
    else go.set(gy.subarray(row, row + w), row);
  }
  if (sharedSum !== undefined) gt.set(sharedSum);
  return [dTangent, dOut];
};
