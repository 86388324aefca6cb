// v(t, x) and ∇·v(t, x) of core's time-mlp with linear, relu or selu hidden layers, on the fused
// dense kernels (PfmFusedDense forward, PfmFusedDenseGrad backward) that @pfm/backend-wasm and
// @pfm/backend-cpu register. The same forward-mode trace as time-mlp-trace.ts,
//   h_k = σ(h_{k−1} W_k + b_k),  s_k = σ'(a_k),  T_1 = P W_1[:d],  U_k = s_k ⊙ T_k,  T_{k+1} = U_k W_{k+1},
//   ∇·v = Σ P ⊙ T_L  (P: the d basis vectors of each point, or one probe),
// with every slope read from the layer's output (relu: 1[h > 0]; selu: λ where h > 0, else
// h + λα = λα e^a, Klambauer et al. 2017) and the reverse sweep written so that each layer's value
// path is one PfmFusedDenseGrad call: since σ'' = σ' ⊙ m with m = 1[h ≤ 0] for selu and σ'' = 0
// for relu and linear, the pre-activation gradient s ⊙ G_H + σ'' ⊙ G_S is s ⊙ (G_H + m ⊙ G_S), the
// kernel's dz for dy = G_H + m ⊙ G_S. For the exact trace T_1 is W_1[:d] for every point, so it is
// broadcast, never tiled or multiplied by the identity, and T_L is never formed: the diagonal of
// each point's J is Σ_c U_{L−1}[j, c] W_L[c, j], so the output layer costs no tangent product.
// Where the backend also registers PfmTangentSlope and PfmTangentSlopeGrad (cpu and wasm do), each
// hidden layer's U_k = T_k ⊙ s_k is one kernel forward, and G_T = G_U ⊙ s_k with G_H + m ⊙ Σ_r G_U ⊙ T_k
// (and, for the shared T_1, the sum over points) one kernel backward, in place of Greater, Select,
// Add, Multiply, Sum and their reshapes; the composed ops stay for other backends.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, TimeMlp } from '@pfm/core';
import { timeEmbedding } from './time-mlp-divergence.js';

const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473766;

/** The hidden activations whose slope the fused path reads from the layer output. */
const FUSED_TRACE_ACTIVATIONS: ReadonlySet<Activation> = new Set<Activation>(['linear', 'relu', 'selu']);

/**
 * @internal Whether {@link fusedTimeMlpTrace} can run for `field` on the active backend: a
 * hidden layer, a linear, relu or selu activation, a linear output, and both fused dense kernels
 * registered.
 */
export function fusedTimeMlpTraceApplies(field: TimeMlp): boolean {
  const options = field.network.options;
  if (field.network.variables.length < 4 || field.network.condition !== undefined) return false;
  if (!FUSED_TRACE_ACTIVATIONS.has(options.activation as Activation) || options.outputActivation !== 'linear') return false;
  const backend = tf.getBackend();
  return tf.getKernel('PfmFusedDense', backend) != null && tf.getKernel('PfmFusedDenseGrad', backend) != null;
}

/** @internal Whether the active backend registers the tangent-slope kernels of the hidden layers. */
export function tangentSlopeKernelsRegistered(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel('PfmTangentSlope', backend) != null && tf.getKernel('PfmTangentSlopeGrad', backend) != null;
}

function dense(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, activation: Activation): tf.Tensor2D {
  return tf.engine().runKernel('PfmFusedDense', { x, weight, bias }, { activation }) as tf.Tensor2D;
}

function denseGrad(dy: tf.Tensor, x: tf.Tensor, weight: tf.Tensor, y: tf.Tensor, activation: Activation): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] {
  return tf.engine().runKernel('PfmFusedDenseGrad', { dy, x, weight, y }, { activation }) as unknown as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
}

/** U = T ⊙ σ'(a) `[n·r, w]` for T `[n·r, w]` or `[r, w]` (shared by the points), σ' read from h `[n, w]`. */
function tangentSlope(tangent: tf.Tensor, h: tf.Tensor, activation: Activation, directions: number): tf.Tensor2D {
  return tf.engine().runKernel('PfmTangentSlope', { tangent, y: h }, { activation, directions }) as tf.Tensor2D;
}

/** [∂L/∂T (T's shape), G_H + (σ''/σ') ⊙ Σ_r G_U ⊙ T `[n, w]`] for G_U `[n·r, w]` and G_H `[n, w]`. */
function tangentSlopeGrad(dy: tf.Tensor, tangent: tf.Tensor, h: tf.Tensor, dValue: tf.Tensor, activation: Activation, directions: number): [tf.Tensor2D, tf.Tensor2D] {
  return tf.engine().runKernel('PfmTangentSlopeGrad', { dy, tangent, y: h, dValue }, { activation, directions }) as unknown as [tf.Tensor2D, tf.Tensor2D];
}

/**
 * σ'(a) `[n, w]` read from h = σ(a), given the mask h > 0; `scales` keeps one λ-filled `[n, w]`
 * per width for the selu layers of one call.
 */
function slopeFromOutput(h: tf.Tensor2D, positive: tf.Tensor, activation: Activation, scales: Map<number, tf.Tensor>): tf.Tensor2D {
  if (activation === 'relu') return tf.cast(positive, 'float32') as tf.Tensor2D;
  if (activation !== 'selu') return tf.onesLike(h);
  let scale = scales.get(h.shape[1]);
  if (scale === undefined) {
    scale = tf.fill(h.shape, SELU_SCALE);
    scales.set(h.shape[1], scale);
  }
  return tf.where(positive, scale, tf.add(h, SELU_SCALE_ALPHA)) as tf.Tensor2D;
}

/** W_Lᵀ of the output layer `[w, d]` as one row `[1, d·w]` (row-major over j, then c). */
function lastKernelRows(kernel: tf.Tensor2D): tf.Tensor2D {
  return tf.reshape(tf.transpose(kernel), [1, kernel.shape[0] * kernel.shape[1]]) as tf.Tensor2D;
}

/**
 * @internal v(t, x) `[n, d]` and ∇·v `[n]` packed as `[n, d + 1]`, differentiable with respect to x
 * and the field's weights (the inputs of the returned op, in that order). Call only where
 * {@link fusedTimeMlpTraceApplies}; values and gradients equal time-mlp-trace.ts's within float32
 * rounding (selu slopes are read from the output). `options.tangentKernels: false` takes the
 * composed ops for the tangent steps even where the tangent-slope kernels are registered (the
 * reference they are tested against).
 */
export function fusedTimeMlpTrace(field: TimeMlp, t: tf.Tensor | number, x: tf.Tensor2D, probe?: tf.Tensor2D, options: { tangentKernels?: boolean } = {}): tf.Tensor2D {
  const act = field.network.options.activation as Activation;
  const weights = field.network.variables as readonly tf.Variable[];
  const layers = weights.length / 2;
  const [n, d] = x.shape;
  const r = probe ? 1 : d;
  if (probe !== undefined && (probe.rank !== 2 || probe.shape[0] !== n || probe.shape[1] !== d)) {
    throw new RangeError(`cnf: the probe must be [${n}, ${d}] like x, got [${probe.shape.join(', ')}]`);
  }
  const kernels = options.tangentKernels !== false && tangentSlopeKernelsRegistered();
  return tf.tidy(() => {
    const embedding = timeEmbedding(field, t, n);
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const save = args.pop() as tf.GradSaveFunc;
      const [xs, ...params] = args as [tf.Tensor2D, ...tf.Tensor2D[]];
      const w1 = params[0]!;
      const width1 = w1.shape[1];
      const w1x = tf.slice(w1, [0, 0], [d, width1]) as tf.Tensor2D;
      const h0 = tf.concat([xs, embedding], 1) as tf.Tensor2D;
      // Saved: h_0, then per hidden layer k: h_k, T_k, U_k with the tangent-slope kernels
      // (which read s_k and the mask from h_k), else h_k, s_k, T_k, U_k and the mask h_k > 0 (on
      // which the selu term m ⊙ G_S of the reverse sweep depends); then v and the probe if any.
      const saved: tf.Tensor[] = [h0];
      const scales = new Map<number, tf.Tensor>();
      let h = dense(h0, w1, params[1]!, act);
      // The exact trace's T_1 = W_1[:d] is shared by the points: [d, w] for the kernel, [1, d, w] composed.
      let tangent = (probe ? tf.matMul(probe, w1x) : kernels ? w1x : tf.reshape(w1x, [1, d, width1])) as tf.Tensor;
      for (let k = 1; k < layers; k++) {
        const width = h.shape[1];
        let scaled: tf.Tensor2D;
        if (kernels) {
          scaled = tangentSlope(tangent, h, act, r);
          saved.push(h, tangent, scaled);
        } else {
          const positive = act === 'linear' ? tf.zeros([1]) : tf.greater(h, 0);
          const slope = slopeFromOutput(h, positive, act, scales);
          scaled = tf.reshape(tf.mul(tf.reshape(tangent, [k === 1 && !probe ? 1 : n, r, width]), tf.reshape(slope, [n, 1, width])), [n * r, width]) as tf.Tensor2D;
          saved.push(h, slope, tangent, scaled, positive);
        }
        const last = k + 1 === layers;
        h = dense(h, params[2 * k]!, params[2 * k + 1]!, last ? 'linear' : act);
        // The exact trace never forms T_L = U W_L: its diagonal is Σ_c U[i·d + j, c] W_L[c, j].
        tangent = last && !probe ? scaled : tf.matMul(scaled, params[2 * k]!);
      }
      saved.push(h);
      if (probe) saved.push(probe);
      const divergence = probe
        ? tf.sum(tf.mul(probe, tangent), 1)
        : tf.sum(tf.mul(tf.reshape(tangent, [n, d * tangent.shape[1]!]), lastKernelRows(params[2 * layers - 2]!)), 1);
      save(saved);
      return {
        value: tf.concat([h, tf.reshape(divergence, [n, 1])], 1),
        gradFunc: (dy: tf.Tensor, stored: tf.Tensor[]) => {
          const h0s = stored[0] as tf.Tensor2D;
          const directions = probe ? stored[stored.length - 1]! : undefined;
          const velocity = stored[stored.length - (probe ? 2 : 1)]!;
          const grads: tf.Tensor[] = new Array(2 * layers);
          const gDiv = tf.slice(dy, [0, d], [n, 1]);
          // G_T = (∂L/∂div) P, per point (the exact trace starts one layer lower, at G_U of U_{L−1}).
          let gT = directions === undefined ? undefined : (tf.mul(gDiv, directions) as tf.Tensor2D);
          let gH = tf.slice(dy, [0, 0], [n, d]) as tf.Tensor2D;
          let output = velocity;
          let outputActivation: Activation = 'linear';
          // Saved per hidden layer: h, T, U with the kernels; h, s, T, U, mask composed.
          const stride = kernels ? 3 : 5;
          for (let k = layers - 1; k >= 1; k--) {
            const at = 1 + stride * (k - 1);
            const [hk, sk, tk, uk, positive] = (kernels ? [stored[at], undefined, stored[at + 1], stored[at + 2], undefined] : stored.slice(at, at + 5)) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor, tf.Tensor2D, tf.Tensor];
            const w = params[2 * k]!;
            const width = w.shape[0];
            const [dx, dw, db] = denseGrad(gH, hk, w, output, outputActivation);
            let gU: tf.Tensor;
            if (gT === undefined) {
              // Exact trace, last layer: ∂div_i/∂U[i·d + j, c] = W_L[c, j], ∂div/∂W_L[c, j] = Σ_i g_i U[i·d + j, c].
              const uRows = tf.reshape(uk, [n, d * width]);
              grads[2 * k] = tf.add(dw, tf.transpose(tf.reshape(tf.matMul(gDiv, uRows, true, false), [d, width])));
              gU = tf.reshape(tf.mul(gDiv, lastKernelRows(w)), kernels ? [n * r, width] : [n, r, width]);
            } else {
              grads[2 * k] = tf.add(dw, tf.matMul(uk, gT, true, false));
              gU = tf.matMul(gT, w, false, true);
              if (!kernels) gU = tf.reshape(gU, [n, r, width]);
            }
            grads[2 * k + 1] = db;
            output = hk;
            outputActivation = act;
            if (kernels) {
              [gT, gH] = tangentSlopeGrad(gU, tk, hk, dx, act, r);
              continue;
            }
            // G_S = Σ_r G_U ⊙ T_k (T_1 of the exact trace is W_1[:d], broadcast over the points).
            const gS = tf.sum(tf.mul(gU, tf.reshape(tk, [tk.rank === 3 && tk.shape[0] === 1 ? 1 : n, r, width])), 1);
            gT = tf.reshape(tf.mul(gU, tf.reshape(sk, [n, 1, width])), [n * r, width]) as tf.Tensor2D;
            // G_H + m ⊙ G_S with m = 1[h ≤ 0] (selu only: σ'' = 0 for relu and linear).
            gH = (act === 'selu' ? tf.where(positive, dx, tf.add(dx, gS)) : dx) as tf.Tensor2D;
          }
          const [dx, dw, db] = denseGrad(gH, h0s, params[0]!, output, outputActivation);
          const rows = params[0]!.shape[0];
          // Pᵀ G_T on the x rows of W_1: for the exact trace the sum of every point's [d, w] block.
          // (The tangent-slope kernel has already summed the shared T_1's gradient over the points.)
          const tangentRows = directions ? tf.matMul(directions, gT!, true, false) : kernels ? gT! : tf.sum(tf.reshape(gT!, [n, d, params[0]!.shape[1]]), 0);
          grads[0] = tf.add(dw, rows === d ? tangentRows : tf.pad(tangentRows, [[0, rows - d], [0, 0]]));
          grads[1] = db;
          return [tf.slice(dx, [0, 0], [n, d]), ...grads];
        },
      };
    });
    return (op as (...inputs: tf.Tensor[]) => tf.Tensor)(x, ...weights) as tf.Tensor2D;
  });
}
