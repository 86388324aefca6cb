// PfmTangentSlope and PfmTangentSlopeGrad on cpu: one layer's step of a forward-mode tangent through
// y = act(a), act ∈ {linear, relu, selu}, for the exact trace of a CNF (Chen et al. 2018, eq. 4):
//   U[i·r + j] = T[i·r + j] ⊙ σ'(a_i)   (r tangents per point; T may be one [r, w] block for all points),
// with σ'(a) read from y (relu: 1[y > 0]; selu: λ where y > 0, else y + λα = λα·e^a, Klambauer et
// al. 2017, eq. 2 differentiated), and its backward pass, given G_U = ∂L/∂U and G_y = ∂L/∂y from
// the value path:
//   ∂L/∂T = G_U ⊙ σ'(a)   (summed over the points when T is shared),
//   G_y + (σ''/σ')(a) ⊙ Σ_j G_U ⊙ T   (selu: σ'' = σ' ⊙ 1[y ≤ 0]; relu, linear: σ'' = 0),
// the second being the cotangent of y that the layer's PfmFusedDenseGrad turns into
// σ'(a) ⊙ G_y + σ''(a) ⊙ Σ_j G_U ⊙ T, the gradient of the pre-activation. The cpu kernels are the
// reference: straight loops, every product and sum in float32 (as the Multiply and Add kernels
// round them), the sums over tangents and points taken in order, so that the wasm kernels' SIMD
// loops can be held to it bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import type { CpuDenseBackend } from './fused-dense-inputs.js';
import { checkTangentSlopeGradInputs, checkTangentSlopeInputs } from '../kernel-inputs.js';

const SCALE = Math.fround(tf.backend_util.SELU_SCALE);
const SCALE_ALPHA = Math.fround(tf.backend_util.SELU_SCALEALPHA);

/** σ'(a) of one row of y into `slope`, and for selu 1[y ≤ 0] into `mask` (σ''/σ'). */
function slopeRow(y: Float32Array, at: number, w: number, activation: string, slope: Float32Array, mask: Float32Array): void {
  for (let c = 0; c < w; c++) {
    const v = y[at + c]!;
    if (activation === 'linear') {
      slope[c] = 1;
      mask[c] = 0;
    } else if (activation === 'relu') {
      slope[c] = v > 0 ? 1 : 0;
      mask[c] = 0;
    } else {
      slope[c] = v > 0 ? SCALE : v + SCALE_ALPHA;
      mask[c] = v > 0 ? 0 : 1;
    }
  }
}

/**
 * The cpu kernel of `PfmTangentSlope`: inputs tangent `[n·r, w]` (or `[r, w]`, the same for every
 * point), y `[n, w]` (the layer's output), attrs `{ activation, directions: r }` → U `[n·r, w]`.
 */
export const tangentSlopeKernel: tf.KernelFunc = (args) => {
  const { tangent, y } = args.inputs as { tangent: tf.TensorInfo; y: tf.TensorInfo };
  const { n, r, w, shared, activation } = checkTangentSlopeInputs({ tangent, y }, args.attrs);
  const backend = args.backend as unknown as CpuDenseBackend;
  const t = backend.data.get(tangent.dataId).values as Float32Array;
  const yv = backend.data.get(y.dataId).values as Float32Array;
  const out = new Float32Array(n * r * w);
  const slope = new Float32Array(w);
  const mask = new Float32Array(w);
  for (let i = 0; i < n; i++) {
    slopeRow(yv, i * w, w, activation, slope, mask);
    for (let j = 0; j < r; j++) {
      const from = (shared ? j : i * r + j) * w;
      const to = (i * r + j) * w;
      for (let c = 0; c < w; c++) out[to + c] = t[from + c]! * slope[c]!;
    }
  }
  return backend.makeTensorInfo([n * r, w], 'float32', out);
};

/**
 * The cpu kernel of `PfmTangentSlopeGrad`: inputs dy = G_U `[n·r, w]`, tangent (as the forward),
 * y `[n, w]`, dValue = G_y `[n, w]`, attrs as the forward → `[dTangent (tangent's shape), dValue′ [n, w]]`.
 */
export const tangentSlopeGradKernel: tf.KernelFunc = (args) => {
  const { dy, tangent, y, dValue } = args.inputs as { dy: tf.TensorInfo; tangent: tf.TensorInfo; y: tf.TensorInfo; dValue: tf.TensorInfo };
  const { n, r, w, shared, activation } = checkTangentSlopeGradInputs({ dy, tangent, y, dValue }, args.attrs);
  const backend = args.backend as unknown as CpuDenseBackend;
  const g = backend.data.get(dy.dataId).values as Float32Array;
  const t = backend.data.get(tangent.dataId).values as Float32Array;
  const yv = backend.data.get(y.dataId).values as Float32Array;
  const gy = backend.data.get(dValue.dataId).values as Float32Array;
  const dTangent = new Float32Array(tangent.shape[0]! * w);
  const sharedSum = shared ? new Float32Array(r * w) : undefined;
  const dOut = new Float32Array(n * w);
  const slope = new Float32Array(w);
  const mask = new Float32Array(w);
  const gS = new Float32Array(w);
  for (let i = 0; i < n; i++) {
    slopeRow(yv, i * w, w, activation, slope, mask);
    gS.fill(0);
    for (let j = 0; j < r; j++) {
      const from = (shared ? j : i * r + j) * w;
      const at = (i * r + j) * w;
      for (let c = 0; c < w; c++) {
        const gu = g[at + c]!;
        gS[c] = gS[c]! + Math.fround(gu * t[from + c]!);
        const d = Math.fround(gu * slope[c]!);
        if (sharedSum !== undefined) sharedSum[j * w + c] = sharedSum[j * w + c]! + d;
        else dTangent[at + c] = d;
      }
    }
    for (let c = 0; c < w; c++) dOut[i * w + c] = mask[c] ? gy[i * w + c]! + gS[c]! : gy[i * w + c]!;
  }
  if (sharedSum !== undefined) dTangent.set(sharedSum);
  return [backend.makeTensorInfo([...tangent.shape], 'float32', dTangent), backend.makeTensorInfo([n, w], 'float32', dOut)];
};
