// _FusedMatMul on wasm: Y = act(op(A) · op(B) + bias), act ∈ {linear, relu, relu6, elu,
// sigmoid, leakyrelu, prelu}, op = identity or transpose of the last two axes.
// The stock kernel adds the bias at wrong positions whenever a transpose flag is set, the
// output has more than one batch matrix, or the bias is not exactly [n] (relative errors
// 0.1 to 0.9 against the cpu backend); it is also slow with transposes. Here transposes are
// materialised first, the stock kernel is used only where it is right (one matrix for B,
// bias [n] or none), and every other case is composed from the unfused wasm kernels.
import * as tf from '@tensorflow/tfjs-core';
import { checkInnerDims } from './check-inner-dims.js';
import { KernelContext } from './kernel-context.js';
import { swapLastTwoAxes } from './swap-last-two-axes.js';

const ACTIVATION_KERNELS: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
};
const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'];

/**
 * A _FusedMatMul kernel for wasm that agrees with the cpu backend. Inputs a: [...batchA, m, k]
 * (or [..., k, m] when transposeA), b: [...batchB, k, n] (or [..., n, k] when transposeB),
 * optional bias broadcastable to the output [...batch, m, n], optional prelu weights.
 */
export function fixedFusedMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights: prelu } = args.inputs as {
      a: tf.TensorInfo;
      b: tf.TensorInfo;
      bias?: tf.TensorInfo;
      preluActivationWeights?: tf.TensorInfo;
    };
    const attrs = args.attrs ?? {};
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    const activation = String(attrs.activation ?? 'linear');
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      throw new Error(`_FusedMatMul on wasm needs float32 tensors, got a: ${a.dtype} and b: ${b.dtype}.`);
    }
    if (!ACTIVATIONS.includes(activation)) {
      throw new Error(`_FusedMatMul on wasm: activation '${activation}' is not supported; expected one of ${ACTIVATIONS.join(', ')}.`);
    }
    if (activation === 'prelu' && prelu == null) {
      throw new Error("_FusedMatMul on wasm: activation 'prelu' needs preluActivationWeights.");
    }
    checkInnerDims(a, b, transposeA, transposeB);

    const ctx = new KernelContext(args.backend);
    try {
      const aPlain = transposeA ? swapLastTwoAxes(ctx, a) : a;
      const bPlain = ctx.ownLayout(transposeB ? swapLastTwoAxes(ctx, b) : b);
      const rankA = aPlain.shape.length;
      const rankB = bPlain.shape.length;
      const m = aPlain.shape[rankA - 2] as number;
      const k = aPlain.shape[rankA - 1] as number;
      const n = bPlain.shape[rankB - 1] as number;
      const batchShapeA = aPlain.shape.slice(0, -2);
      const batchShapeB = bPlain.shape.slice(0, -2);
      const batchA = tf.util.sizeFromShape(batchShapeA);
      const batchB = tf.util.sizeFromShape(batchShapeB);
      const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB), m, n];
      const plainAttrs = { ...attrs, transposeA: false, transposeB: false };

      // One matrix for B: A's batch folds into rows and the stock kernel sees a single
      // [batchA·m, k]·[k, n] product, the one case where it places the bias right.
      if (batchB === 1 && isRowVector(bias, n) && isRowVector(prelu, n, true)) {
        const inputs: tf.NamedTensorInfoMap = {
          a: ctx.view(aPlain, [1, batchA * m, k]),
          b: ctx.view(bPlain, [1, k, n]),
        };
        // The stock kernel checks the bias rank on the shape stored with the data, which a
        // reshape does not change: hand it a fresh [n] copy (n values, next to m·k·n work).
        if (bias != null) inputs.bias = ctx.copy(bias, [n]);
        if (prelu != null) inputs.preluActivationWeights = prelu.shape.length > 1 ? ctx.view(prelu, [tf.util.sizeFromShape(prelu.shape)]) : prelu;
        return ctx.keep(ctx.call(stock, inputs, plainAttrs), outShape);
      }
      // Without bias or prelu weights the stock kernel is right on batches too.
      if (bias == null && prelu == null && (batchA === batchB || batchA === 1 || batchB === 1)) {
        const inputs = { a: ctx.view(aPlain, [batchA, m, k]), b: ctx.view(bPlain, [batchB, k, n]) };
        return ctx.keep(ctx.call(stock, inputs, plainAttrs), outShape);
      }
      // Everything else: matMul, add, activation, each a correct unfused wasm kernel.
      let y = ctx.run('BatchMatMul', { a: aPlain, b: bPlain }, { transposeA: false, transposeB: false });
      if (bias != null) y = ctx.run('Add', { a: y, b: bias });
      y = applyActivation(ctx, y, activation, prelu, attrs.leakyreluAlpha);
      return ctx.keep(y);
    } finally {
      ctx.dispose();
    }
  };
}

/** Whether `t` is absent, or holds exactly n values along its last axis ([n], [1, n], ...); with `scalarOk` also a single value. */
function isRowVector(t: tf.TensorInfo | undefined, n: number, scalarOk = false): boolean {
  if (t == null) return true;
  const size = tf.util.sizeFromShape(t.shape);
  if (scalarOk && size === 1) return true;
  return size === n && t.shape[t.shape.length - 1] === n;
}

function applyActivation(
  ctx: KernelContext,
  y: tf.TensorInfo,
  activation: string,
  prelu: tf.TensorInfo | undefined,
  leakyreluAlpha: tf.NamedAttrMap[string] | undefined,
): tf.TensorInfo {
  if (activation === 'linear') return y;
  if (activation === 'leakyrelu') {
    // 0.2 is tf.fused.matMul's own default for leakyreluAlpha.
    return ctx.run('LeakyRelu', { x: y }, { alpha: typeof leakyreluAlpha === 'number' ? leakyreluAlpha : 0.2 });
  }
  if (activation === 'prelu') return ctx.run('Prelu', { x: y, alpha: prelu });
  return ctx.run(ACTIVATION_KERNELS[activation] as string, { x: y });
}
