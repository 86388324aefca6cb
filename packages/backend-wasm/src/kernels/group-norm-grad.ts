// PfmGroupNormGrad on wasm: the backward pass of y = γ_c·(x − μ)·σ⁻¹ + β_c (PfmGroupNorm), in
// closed form (Wu & He 2018 eq. 1–2 differentiated as Ioffe & Szegedy 2015, §3, per sample and
// group of N values instead of per batch). With g = γ·dy and x̂ = (x − μ)·σ⁻¹,
//   dx = (σ⁻¹/N)·(N·g − Σg − x̂·Σ(g·x̂)),   dγ_c = Σ_{n,h,w} dy·x̂,   dβ_c = Σ_{n,h,w} dy,
// as two JavaScript passes: per sample and channel Σdy and Σdy·x in float64 (Σdy·(x − μ) =
// Σdy·x − μ·Σdy), then dx = A_c·dy + K·x + B per group with A_c = γ_c·σ⁻¹,
// K = −σ⁻²·Σ(g·x̂)/N and B = σ⁻²·μ·Σ(g·x̂)/N − σ⁻¹·Σg/N.
import * as tf from '@tensorflow/tfjs-core';
import { checkGroupNormInputs } from './group-norm-inputs.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * The wasm kernel of `PfmGroupNormGrad`: inputs dy and x `[n, h, w, c]`, scale γ `[c]`, stats
 * `[n, groups, 2]` (μ, σ⁻¹: PfmGroupNorm's second output), attrs `{ groups, epsilon }` →
 * `[dx [n, h, w, c], dScale [c], dShift [c]]`.
 */
export const groupNormGradKernel: tf.KernelFunc = (args) => {
  const { dy, x, scale, stats } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; scale: tf.TensorInfo; stats: tf.TensorInfo };
  const g = checkGroupNormInputs('PfmGroupNormGrad', x, scale, args.attrs);
  if (dy.dtype !== 'float32' || dy.shape.length !== 4 || dy.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`PfmGroupNormGrad: inputs.dy is ${dy.dtype} [${dy.shape.join(', ')}]; expected float32 [${x.shape.join(', ')}] (the shape of x)`);
  }
  if (stats.dtype !== 'float32' || stats.shape.length !== 3 || stats.shape[0] !== g.batch || stats.shape[1] !== g.groups || stats.shape[2] !== 2) {
    throw new Error(`PfmGroupNormGrad: inputs.stats is ${stats.dtype} [${stats.shape.join(', ')}]; expected float32 [${g.batch}, ${g.groups}, 2] (PfmGroupNorm's second output)`);
  }
  const backend = args.backend as WasmHeapBackend;
  const dx = backend.makeOutput([...x.shape], 'float32');
  const dScale = backend.makeOutput([g.channels], 'float32');
  const dShift = backend.makeOutput([g.channels], 'float32');
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const dxValues = backend.typedArrayFromHeap(dx) as Float32Array;
  const statValues = backend.typedArrayFromHeap(stats) as Float32Array;
  const gamma = backend.typedArrayFromHeap(scale) as Float32Array;
  const { batch, pixels, channels, groups, perGroup } = g;
  const count = pixels * perGroup;
  const sumDy = new Float64Array(channels);
  const sumDyX = new Float64Array(channels);
  const gammaGrad = new Float64Array(channels);
  const betaGrad = new Float64Array(channels);
  const a = new Float64Array(channels);
  const k = new Float64Array(channels);
  const b = new Float64Array(channels);
  const perSample = pixels * channels;
  for (let s = 0; s < batch; s++) {
    const first = s * perSample;
    const end = first + perSample;
    // Channel by channel with the sums in locals, as PfmGroupNorm's statistics.
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      let product = 0;
      for (let at = first + c; at < end; at += channels) {
        const d = dyValues[at]!;
        sum += d;
        product += d * xValues[at]!;
      }
      sumDy[c] = sum;
      sumDyX[c] = product;
    }
    for (let q = 0; q < groups; q++) {
      const mean = statValues[2 * (s * groups + q)]!;
      const invStd = statValues[2 * (s * groups + q) + 1]!;
      // Σg and Σ(g·x̂) over the group.
      let sumG = 0;
      let sumGNormalised = 0;
      for (let c = q * perGroup; c < (q + 1) * perGroup; c++) {
        const dyNormalised = invStd * (sumDyX[c]! - mean * sumDy[c]!);
        gammaGrad[c] = gammaGrad[c]! + dyNormalised;
        betaGrad[c] = betaGrad[c]! + sumDy[c]!;
        sumG += gamma[c]! * sumDy[c]!;
        sumGNormalised += gamma[c]! * dyNormalised;
      }
      const centredFactor = (invStd * invStd * sumGNormalised) / count;
      const offset = mean * centredFactor - (invStd * sumG) / count;
      for (let c = q * perGroup; c < (q + 1) * perGroup; c++) {
        a[c] = gamma[c]! * invStd;
        k[c] = -centredFactor;
        b[c] = offset;
      }
    }
    for (let at = first; at < end; at += channels) {
      for (let c = 0; c < channels; c++) dxValues[at + c] = dyValues[at + c]! * a[c]! + xValues[at + c]! * k[c]! + b[c]!;
    }
  }
  (backend.typedArrayFromHeap(dScale) as Float32Array).set(gammaGrad);
  (backend.typedArrayFromHeap(dShift) as Float32Array).set(betaGrad);
  return [dx, dScale, dShift];
};
