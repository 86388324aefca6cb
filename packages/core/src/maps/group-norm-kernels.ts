// Group normalisation through pfm's group norm kernels, where the active backend has them
// (@pfm/backend-wasm registers PfmGroupNorm and PfmGroupNormGrad): one kernel forward giving y and
// each sample's and group's μ and σ⁻¹, one backward giving dx, dγ and dβ, instead of the ten
// forward and a dozen backward kernels of group-norm.ts's closed form (Wu & He, ECCV 2018, eq. 1–2).
import * as tf from '@tensorflow/tfjs-core';
import type { GroupNormOptions } from './group-norm-options.js';

type Normalise = (x: tf.Tensor4D, scale: tf.Tensor1D, shift: tf.Tensor1D) => tf.Tensor4D;
const byAttrs = new Map<string, Normalise>();

function normalise(groups: number, epsilon: number): Normalise {
  const key = `${groups}/${epsilon}`;
  let op = byAttrs.get(key);
  if (op === undefined) {
    const attrs = { groups, epsilon };
    op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, scale, shift, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
      const [y, stats] = tf.engine().runKernel('PfmGroupNorm', { x, scale, shift }, attrs) as [tf.Tensor4D, tf.Tensor3D];
      // γ is saved too: a caller may dispose it before the backward pass runs.
      save([x, scale, stats]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [savedX, savedScale, savedStats] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor3D];
          return tf.engine().runKernel('PfmGroupNormGrad', { dy, x: savedX, scale: savedScale, stats: savedStats }, attrs) as tf.Tensor[];
        },
      };
    }) as unknown as Normalise;
    byAttrs.set(key, op);
  }
  return op;
}

/** Whether the active backend registers both group norm kernels. */
export function groupNormKernelsRegistered(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel('PfmGroupNorm', backend) != null && tf.getKernel('PfmGroupNormGrad', backend) != null;
}

/**
 * y = γ·(x − μ)/√(σ² + ε) + β per sample and group of `[n, h, w, c]` float32 x, by the backend's
 * PfmGroupNorm kernel, differentiated by its PfmGroupNormGrad (first order only). The caller has
 * checked the options and that {@link groupNormKernelsRegistered} holds.
 * Source: Wu & He, "Group normalization", ECCV 2018, eq. 1–2.
 */
export function groupNormByKernels(x: tf.Tensor4D, options: GroupNormOptions): tf.Tensor4D {
  const op = normalise(options.groups, options.epsilon ?? 1e-5);
  return op(x, options.scale as tf.Tensor1D, options.shift as tf.Tensor1D);
}
