// PfmFusedDense on wasm: y = act(x·W + b) for one dense layer, act ∈ {linear, relu, selu}
// (selu: Klambauer et al. 2017, eq. 2). The product runs in the wasm BatchMatMul (XNNPACK); the
// bias and the activation are one pass over its output, in place, instead of an Add and an
// activation kernel with a tensor between them: selu in the SELU SIMD module
// (simd/selu-simd-module.ts, 4 lanes), relu and linear, and selu where WebAssembly SIMD is
// missing, in JavaScript (selu: e^z − 1 only where z < 0). Each value is the float32 sum
// z = x·W + b rounded as the Add kernel rounds it, then the activation as the Relu and Selu
// kernels compute it (both take the same SIMD or JavaScript path), so the output is bit-identical
// to tf.selu(tf.add(tf.matMul(x, W), b)) on this backend.
import * as tf from '@tensorflow/tfjs-core';
import { EXP_FRACTION, EXP_POW2 } from './fast-exp.js';
import { checkFusedDenseInputs } from '@pfm/backend-cpu/kernel-inputs';
import { KernelContext } from './kernel-context.js';
import type { WasmHeapBackend } from './wasm-heap.js';
import { seluSimd } from '../simd/selu-simd.js';

/**
 * The wasm kernel of `PfmFusedDense`: inputs x `[n, k]`, weight `[k, m]`, bias `[m]` (all float32),
 * attrs `{ activation: 'linear' | 'relu' | 'selu' }` → y `[n, m]`.
 */
export const fusedDenseKernel: tf.KernelFunc = (args) => {
  const { x, weight, bias } = args.inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; bias: tf.TensorInfo };
  const { n, m, activation } = checkFusedDenseInputs({ x, weight, bias }, args.attrs);
  const ctx = new KernelContext(args.backend);
  try {
    const y = ctx.run('BatchMatMul', { a: x, b: weight }, { transposeA: false, transposeB: false });
    // Every allocation is done: views of the heap stay valid from here on.
    const backend = args.backend as WasmHeapBackend;
    const out = backend.typedArrayFromHeap(y) as Float32Array;
    const b = backend.typedArrayFromHeap(bias) as Float32Array;
    const simd = activation === 'selu' ? seluSimd(backend) : undefined;
    if (simd !== undefined) simd.seluBias(out.byteOffset, b.byteOffset, out.byteOffset, n, m);
    else if (activation === 'selu') seluRows(out, b, n, m);
    else if (activation === 'relu') reluRows(out, b, n, m);
    else linearRows(out, b, n, m);
    return ctx.keep(y, [n, m]);
  } finally {
    ctx.dispose();
  }
};

function linearRows(out: Float32Array, b: Float32Array, n: number, m: number): void {
  for (let i = 0, at = 0; i < n; i++) for (let j = 0; j < m; j++, at++) out[at] = out[at]! + b[j]!;
}

function reluRows(out: Float32Array, b: Float32Array, n: number, m: number): void {
  // max(0, z) as the cpu Relu kernel: NaN stays NaN, −0 becomes 0.
  for (let i = 0, at = 0; i < n; i++) for (let j = 0; j < m; j++, at++) out[at] = Math.max(0, Math.fround(out[at]! + b[j]!));
}

/**
 * Scratch of the negative pre-activations of one call: their positions and values. Kernels run one
 * at a time on the calling thread, so one pair of arrays serves every call; it grows as needed.
 */
let negativeAt = new Int32Array(0);
let negativeZ = new Float32Array(0);

function seluRows(out: Float32Array, b: Float32Array, n: number, m: number): void {
  // The Selu host kernel's values (host-selu.ts) on z = fround(x·W + b), in two passes: the first
  // writes λz everywhere and lists the entries with z < 0 (or NaN) without a branch; the second
  // evaluates e^z − 1 on those only, half the entries of a self-normalised layer, with fastExpm1's
  // arithmetic written out for z < 0 (its clamp at 89 never applies). The constants are literals so
  // that V8 keeps them in registers (see fast-exp.ts).
  if (negativeAt.length < n * m) {
    negativeAt = new Int32Array(n * m);
    negativeZ = new Float32Array(n * m);
  }
  const at0 = negativeAt;
  const z0 = negativeZ;
  const scale = tf.backend_util.SELU_SCALE;
  let count = 0;
  for (let i = 0, at = 0; i < n; i++) {
    for (let j = 0; j < m; j++, at++) {
      const z = Math.fround(out[at]! + b[j]!);
      out[at] = scale * z;
      at0[count] = at;
      z0[count] = z;
      count += +!(z >= 0);
    }
  }
  const pow2 = EXP_POW2;
  const fraction = EXP_FRACTION;
  const scaleAlpha = tf.backend_util.SELU_SCALEALPHA;
  for (let q = 0; q < count; q++) {
    const z = z0[q]!;
    const v = z < -104 ? -104 : z;
    const index = (v * 46.16624130844683 + 5120.5) | 0; // 32/ln2
    const r = v - (index - 5120) * 0.02166084939249829; // ln2/32
    const s = pow2[index >> 5]! * fraction[index & 31]!;
    out[at0[q]!] = scaleAlpha * (s - 1 + s * (r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24))))));
  }
}
