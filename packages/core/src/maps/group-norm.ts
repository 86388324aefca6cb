// Group normalisation with a hand-written gradient (Wu & He, "Group normalization", ECCV 2018,
// eq. 1–2). Per sample and group of N = h·w·C/G values: μ, σ⁻¹ = 1/√(σ² + ε), x̂ = (x − μ)·σ⁻¹,
// y = γ·x̂ + β. With g = γ·dy (γ per channel), the gradient in closed form (Ioffe & Szegedy 2015,
// §3, per group instead of per batch) is
//   dx = (σ⁻¹/N)·(N·g − Σg − x̂·Σ(g·x̂)),   dγ = Σ_{n,h,w} dy·x̂,   dβ = Σ_{n,h,w} dy.
// The sums over a group are taken from per-channel sums over (h, w), Σg = Σ_c γ_c Σ_{h,w} dy and
// Σ(g·x̂) = Σ_c γ_c σ⁻¹ Σ_{h,w} dy·(x − μ), so x̂ is never formed at full size: five full-size
// elementwise kernels and two reductions in the backward pass, against some thirty kernels from
// autodiff of the composed form.
import * as tf from '@tensorflow/tfjs-core';
import { groupNormComposed } from './group-norm-composed.js';
import { groupNormByKernels, groupNormKernelsRegistered } from './group-norm-kernels.js';
import type { GroupNormOptions } from './group-norm-options.js';
import { insideNestedGradient } from './nested-gradient.js';

function checkGroupNorm(x: tf.Tensor, options: GroupNormOptions): void {
  const { scale, shift, groups, epsilon = 1e-5 } = options;
  if (x.rank !== 4) throw new RangeError(`groupNorm: x must be [n, h, w, c], got [${x.shape.join(', ')}]`);
  const c = x.shape[3]!;
  if (!Number.isInteger(groups) || groups <= 0 || c % groups !== 0) {
    throw new RangeError(`groupNorm: groups must be a positive divisor of the ${c} channels of x, got ${groups}`);
  }
  for (const [field, tensor] of [['scale', scale], ['shift', shift]] as const) {
    if (tensor.rank !== 1 || tensor.shape[0] !== c) {
      throw new RangeError(`groupNorm: ${field} must be [${c}] (one value per channel of x), got [${tensor.shape.join(', ')}]`);
    }
  }
  if (!(epsilon > 0)) throw new RangeError(`groupNorm: epsilon must be positive, got ${epsilon}`);
}

/**
 * Group normalisation `[n, h, w, c]` → `[n, h, w, c]` with `groups` groups of c/groups channels,
 * y = γ·(x − μ)/√(σ² + ε) + β per sample and group, differentiated by its closed-form gradient
 * (by autodiff of the composed form inside a nested gradient, where second derivatives are needed);
 * on a backend with pfm's `PfmGroupNorm` and `PfmGroupNormGrad` kernels (wasm), one kernel each way.
 * Source: Wu & He, "Group normalization", ECCV 2018, eq. 1–2; ε = 1e-5 by default as PyTorch's.
 */
export function groupNorm(x: tf.Tensor4D, options: GroupNormOptions): tf.Tensor4D {
  checkGroupNorm(x, options);
  if (insideNestedGradient()) return groupNormComposed(x, options);
  // One kernel each way where the backend has pfm's group norm kernels (wasm): the values agree
  // with the closed form below within float32 rounding (statistics accumulated in float64).
  if (x.dtype === 'float32' && options.scale.dtype === 'float32' && options.shift.dtype === 'float32' && groupNormKernelsRegistered()) {
    return tf.tidy('groupNorm', () => groupNormByKernels(x, options));
  }
  const { groups, epsilon = 1e-5 } = options;
  const [n, h, w, c] = x.shape;
  const perGroup = c / groups;
  const count = h * w * perGroup;
  // [n, h·w, G, C/G]: the statistics of a group reduce axes 1 and 3.
  const view = [n, h * w, groups, perGroup];
  const normalise = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, scale, shift, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const grouped = tf.reshape(input, view);
    const mean = tf.mean(grouped, [1, 3], true);
    const centred = tf.sub(grouped, mean);
    const invStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), [1, 3], true), epsilon));
    const gamma = tf.reshape(scale, [groups, perGroup]);
    const value = tf.reshape(tf.add(tf.mul(centred, tf.mul(invStd, gamma)), tf.reshape(shift, [groups, perGroup])), [n, h, w, c]);
    // γ is saved too: a caller may dispose it before the backward pass runs.
    save([centred, invStd, scale]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedCentred, savedInvStd, savedScale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const savedGamma = tf.reshape(savedScale, [groups, perGroup]);
        const dyGrouped = tf.reshape(dy, view);
        // Per sample and channel: Σ_{h,w} dy and Σ_{h,w} dy·x̂ = σ⁻¹ Σ_{h,w} dy·(x − μ), [n, 1, G, C/G].
        const sumDy = tf.sum(dyGrouped, 1, true);
        const sumDyNormalised = tf.mul(tf.sum(tf.mul(dyGrouped, savedCentred), 1, true), savedInvStd);
        const dScale = tf.reshape(tf.sum(sumDyNormalised, [0, 1]), [c]);
        const dShift = tf.reshape(tf.sum(sumDy, [0, 1]), [c]);
        // Σg and Σ(g·x̂) over each group, [n, 1, G, 1].
        const sumG = tf.sum(tf.mul(sumDy, savedGamma), 3, true);
        const sumGNormalised = tf.sum(tf.mul(sumDyNormalised, savedGamma), 3, true);
        // dx = σ⁻¹γ·dy − (x − μ)·σ⁻²Σ(g·x̂)/N − σ⁻¹Σg/N.
        const invStdOverCount = tf.mul(savedInvStd, 1 / count);
        const centredFactor = tf.mul(tf.mul(sumGNormalised, invStdOverCount), savedInvStd);
        const offset = tf.mul(sumG, invStdOverCount);
        const dx = tf.sub(tf.mul(dyGrouped, tf.mul(savedInvStd, savedGamma)), tf.add(tf.mul(savedCentred, centredFactor), offset));
        return [tf.reshape(dx, [n, h, w, c]), dScale, dShift];
      },
    };
  });
  // A named scope: tf.profile lists the op as 'groupNorm' beside the kernels it runs.
  return tf.tidy('groupNorm', () => normalise(x, options.scale, options.shift) as tf.Tensor4D);
}
