// Distance-induced kernel k(x, y) = ‖x‖^β + ‖y‖^β − ‖x − y‖^β, β ∈ (0, 2) (Sejdinovic et al. 2013,
// "Equivalence of distance-based and RKHS-based statistics", Def. 13, without their factor ½):
// with it MMD²(μ, ν) is exactly the energy distance 2E‖X − Y‖^β − E‖X − X'‖^β − E‖Y − Y'‖^β.
import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveKernel } from './adaptive-kernel.js';
import { powerProfile } from '../pairwise/power-profile.js';
import { safePower } from './safe-power.js';
import { squaredDistances } from './squared-distances.js';
import { z } from 'zod';

/** Options of {@link distanceKernel} (and of the `distance` kernel entry): the one place they are written. */
export const distanceKernelSchema = z.strictObject({
  /** β ∈ (0, 2). Default 1. */
  exponent: z.number().gt(0).lt(2).default(1),
});

/** Options of {@link distanceKernel}, as a caller writes them (every field optional). */
export type DistanceKernelOptions = z.input<typeof distanceKernelSchema>;

/**
 * Distance kernel k(x, y) = ‖x‖^β + ‖y‖^β − ‖x − y‖^β; `gram`: `[n, d]`, `[m, d]` → `[n, m]`.
 * Source: Sejdinovic, Sriperumbudur, Gretton & Fukumizu 2013, Ann. Statist. 41(5), §3.
 */
export function distanceKernel(options: DistanceKernelOptions = {}): AdaptiveKernel {
  const beta = options.exponent ?? 1;
  if (!(beta > 0 && beta < 2)) throw new RangeError(`distanceKernel: exponent must be in (0, 2), got ${beta}`);
  const e = beta / 2;
  const gram = (a: tf.Tensor2D, b: tf.Tensor2D) =>
    tf.tidy(() => {
      const na = safePower(tf.sum(tf.square(a), 1, true), e);
      const nb = tf.reshape(safePower(tf.sum(tf.square(b), 1), e), [1, -1]);
      return tf.sub(tf.add(na, nb), safePower(squaredDistances(a, b), e)) as tf.Tensor2D;
    });
  // ‖x‖^β + ‖y‖^β cancels in every MMD estimator: the fused loop only needs κ(r²) = −r^β.
  const kernel: AdaptiveKernel = { gram, adapt: () => kernel, radialProfile: powerProfile(beta, -1) };
  return kernel;
}
