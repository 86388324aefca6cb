// Selu on wasm as a host kernel: y = λx for x ≥ 0, λα(e^x − 1) otherwise (Klambauer et al. 2017,
// "Self-normalizing neural networks", eq. 2; λ and α as tfjs's selu_util), with e^x − 1 by
// an e^x − 1 accurate near 0 where the stock kernel's exp(x) − 1 in float32 cancels (x = −1e-6
// comes out 1.3% off there). float32 runs in the SELU SIMD module (simd/selu-simd-module.ts,
// within 1.02 float32 ulps of the float64 formula, the same values as PfmFusedDense's selu); where
// WebAssembly SIMD is missing, and for int32, a JavaScript loop with fastExpm1, about 1.4x faster
// than the stock kernel's scalar std::exp.
import * as tf from '@tensorflow/tfjs-core';
import { EXP_FRACTION, EXP_POW2, fastExpm1 } from './fast-exp.js';
import type { WasmHeapBackend } from './wasm-heap.js';
import { seluSimd } from '../simd/selu-simd.js';

// λ = 1.0507009873554804934193349852946, λα = 1.7580993408473768599402175208123 (α = 1.67326324…).
const SCALE = tf.backend_util.SELU_SCALE;
const SCALE_ALPHA = tf.backend_util.SELU_SCALEALPHA;

/**
 * Selu for wasm: x [...] float32 or int32 → the same dtype (int32 results truncate toward 0, as
 * on the cpu backend); other dtypes go to `stock`. x ≥ 0 tests as the cpu backend does, so −0
 * gives −0 and NaN takes the exponential branch and stays NaN.
 */
export function hostSelu(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return stock(args);
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput(x.shape, x.dtype);
    const size = x.shape.reduce((a, b) => a * b, 1);
    if (size === 0) return out;
    const values = backend.typedArrayFromHeap(x);
    const result = backend.typedArrayFromHeap(out);
    // float32 through the SIMD module where there is one: the same values as PfmFusedDense's selu.
    const simd = x.dtype === 'float32' ? seluSimd(backend) : undefined;
    if (simd !== undefined) {
      simd.selu(values.byteOffset, 0, result.byteOffset, 1, size);
      return out;
    }
    const pow2 = EXP_POW2;
    const fraction = EXP_FRACTION;
    const scale = SCALE;
    const scaleAlpha = SCALE_ALPHA;
    // Both branches are computed and one is picked by indexing a two-slot array: the sign of
    // pre-activations is random, and a branch on it is mispredicted half the time.
    const branches = new Float64Array(2);
    for (let i = 0; i < size; i++) {
      const v = values[i]!;
      branches[0] = scaleAlpha * fastExpm1(v, pow2, fraction);
      branches[1] = scale * v;
      result[i] = branches[+(v >= 0)]!;
    }
    return out;
  };
}
