// PfmGroupNorm on wasm: group normalisation (Wu & He, "Group normalization", ECCV 2018, eq. 1–2)
// of x [n, h, w, c] with G groups of C/G contiguous channels, per sample and group of
// N = h·w·C/G values
//   μ = Σx/N,  σ⁻¹ = 1/√(Σx²/N − μ² + ε),  y = γ_c·(x − μ)·σ⁻¹ + β_c,
// as two JavaScript passes over x on the wasm heap: per-channel Σx and Σx² in float64 (folded
// into the groups' statistics; float64 keeps Σx²/N − μ² exact to float32 precision unless
// |μ|/σ exceeds 10⁴), then y = x·a_c + b_c with a_c = γ_c·σ⁻¹ and b_c = β_c − μ·a_c. The composed
// ops it replaces ran some ten kernels, each a pass over [n, h·w, G, C/G] with short runs.
// The second output holds each sample's and group's μ and σ⁻¹ (float32), for PfmGroupNormGrad.
import * as tf from '@tensorflow/tfjs-core';
import { checkGroupNormInputs } from './group-norm-inputs.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * The wasm kernel of `PfmGroupNorm`: inputs x `[n, h, w, c]`, scale γ `[c]`, shift β `[c]` (float32),
 * attrs `{ groups, epsilon }` (ε default 1e-5) → `[y [n, h, w, c], stats [n, groups, 2]]`, stats
 * holding μ and σ⁻¹ = 1/√(σ² + ε) of each sample and group (σ² the biased variance).
 */
export const groupNormKernel: tf.KernelFunc = (args) => {
  const { x, scale, shift } = args.inputs as { x: tf.TensorInfo; scale: tf.TensorInfo; shift: tf.TensorInfo };
  const g = checkGroupNormInputs('PfmGroupNorm', x, scale, args.attrs);
  if (shift.dtype !== 'float32' || shift.shape.length !== 1 || shift.shape[0] !== g.channels) {
    throw new Error(`PfmGroupNorm: inputs.shift is ${shift.dtype} [${shift.shape.join(', ')}]; expected float32 [${g.channels}] (one value per channel of x)`);
  }
  const backend = args.backend as WasmHeapBackend;
  // Both outputs before any view: an allocation may grow (and detach) the heap.
  const y = backend.makeOutput([...x.shape], 'float32');
  const stats = backend.makeOutput([g.batch, g.groups, 2], 'float32');
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const yValues = backend.typedArrayFromHeap(y) as Float32Array;
  const statValues = backend.typedArrayFromHeap(stats) as Float32Array;
  const gamma = backend.typedArrayFromHeap(scale) as Float32Array;
  const beta = backend.typedArrayFromHeap(shift) as Float32Array;
  const { batch, pixels, channels, groups, perGroup, epsilon } = g;
  const count = pixels * perGroup;
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const a = new Float64Array(channels);
  const b = new Float64Array(channels);
  const perSample = pixels * channels;
  for (let s = 0; s < batch; s++) {
    const first = s * perSample;
    const end = first + perSample;
    // Channel by channel with the sums in locals (a strided walk over a sample, which stays in
    // cache): an accumulator array indexed by channel in the inner loop was 3× slower.
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      let square = 0;
      for (let at = first + c; at < end; at += channels) {
        const v = xValues[at]!;
        sum += v;
        square += v * v;
      }
      sums[c] = sum;
      squares[c] = square;
    }
    for (let k = 0; k < groups; k++) {
      let sum = 0;
      let square = 0;
      for (let c = k * perGroup; c < (k + 1) * perGroup; c++) {
        sum += sums[c]!;
        square += squares[c]!;
      }
      const mean = Math.fround(sum / count);
      const variance = Math.max(0, square / count - (sum / count) * (sum / count));
      const invStd = Math.fround(1 / Math.sqrt(variance + epsilon));
      statValues[2 * (s * groups + k)] = mean;
      statValues[2 * (s * groups + k) + 1] = invStd;
      for (let c = k * perGroup; c < (k + 1) * perGroup; c++) {
        a[c] = gamma[c]! * invStd;
        b[c] = beta[c]! - mean * a[c]!;
      }
    }
    for (let at = first; at < end; at += channels) {
      for (let c = 0; c < channels; c++) yValues[at + c] = xValues[at + c]! * a[c]! + b[c]!;
    }
  }
  return [y, stats];
};
