// PfmFusedDense on wasm: y = act(x·W + b) for one dense layer, act ∈ {linear, relu, selu}
// (selu: Klambauer et al. 2017, eq. 2). The product runs in the wasm BatchMatMul (XNNPACK); the
// bias and the activation are one JavaScript pass over its output, in place, instead of an Add and
// an activation kernel with a tensor between them. Each value is the float32 sum z = x·W + b
// rounded as the Add kernel rounds it, then the activation as the Relu and Selu kernels compute it,
// so the output is bit-identical to tf.selu(tf.add(tf.matMul(x, W), b)) on this backend.
import * as tf from '@tensorflow/tfjs-core';
import { EXP_FRACTION, EXP_POW2, fastExpm1 } from './fast-exp.js';
import { checkFusedDenseInputs } from './fused-dense-inputs.js';
import { KernelContext } from './kernel-context.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * The wasm kernel of `PfmFusedDense`: inputs x `[n, k]`, weight `[k, m]`, bias `[m]` (all float32),
 * attrs `{ activation: 'linear' | 'relu' | 'selu' }` → y `[n, m]`.
 */
export const fusedDenseKernel: tf.KernelFunc = (args) => {
  const { x, weight, bias } = args.inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; bias: tf.TensorInfo };
  const activation = String(args.attrs?.activation ?? 'linear');
  const [n, , m] = checkFusedDenseInputs('PfmFusedDense', x, weight, activation);
  if (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== m) {
    throw new Error(`PfmFusedDense: inputs.bias is ${bias.dtype} [${bias.shape.join(', ')}]; expected float32 [${m}]`);
  }
  const ctx = new KernelContext(args.backend);
  try {
    const y = ctx.run('BatchMatMul', { a: x, b: weight }, { transposeA: false, transposeB: false });
    // Every allocation is done: views of the heap stay valid from here on.
    const backend = args.backend as WasmHeapBackend;
    const out = backend.typedArrayFromHeap(y) as Float32Array;
    const b = backend.typedArrayFromHeap(bias) as Float32Array;
    if (activation === 'selu') seluRows(out, b, n, m);
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

function seluRows(out: Float32Array, b: Float32Array, n: number, m: number): void {
  // The Selu host kernel's loop (host-selu.ts) on z = fround(x·W + b); the constants are literals
  // so that V8 keeps them in registers (see fast-exp.ts).
  const pow2 = EXP_POW2;
  const fraction = EXP_FRACTION;
  const scale = tf.backend_util.SELU_SCALE;
  const scaleAlpha = tf.backend_util.SELU_SCALEALPHA;
  const branches = new Float64Array(2);
  for (let i = 0, at = 0; i < n; i++) {
    for (let j = 0; j < m; j++, at++) {
      const z = Math.fround(out[at]! + b[j]!);
      branches[0] = scaleAlpha * fastExpm1(z, pow2, fraction);
      branches[1] = scale * z;
      out[at] = branches[+(z >= 0)]!;
    }
  }
}
