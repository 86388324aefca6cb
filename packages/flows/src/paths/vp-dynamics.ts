// Sampling dynamics of a VP diffusion in flow time t = 1 − s (noise at t = 0, data at t = 1).
// With the forward SDE dX = −½β X ds + √β dW and the score ∇log p,
//   reverse SDE (Anderson 1982; Song et al. 2021, eq. 6):   dX = [½β X + β ∇log p] dt + √β dW,
//   probability-flow ODE (Song et al. 2021, eq. 13):         dX/dt = ½β (X + ∇log p),
// both with β = β(1 − t), and both carrying the marginals p_t from noise to data.
import * as tf from '@tensorflow/tfjs-core';
import type { DifferentialProblem } from '@pfm/core';
import type { VpSchedule } from './vp-schedule.js';

/** ∇ₓ log p_t(x) in flow time: `[n, d]` → `[n, d]`. */
export type VpScoreFunction = (t: number, x: tf.Tensor2D) => tf.Tensor2D;

/** The reverse SDE and the probability-flow ODE of a VP diffusion, in flow time. */
export interface VpDynamics {
  probabilityFlow: DifferentialProblem;
  reverseSde: DifferentialProblem;
}

/** The reverse SDE and probability-flow ODE of `schedule` with the score `score` (flow time, states `[n, d]`). */
export function vpDynamics(schedule: VpSchedule, score: VpScoreFunction): VpDynamics {
  return {
    probabilityFlow: {
      drift: (t, x) => tf.tidy(() => tf.mul(tf.add(x, score(t, x)), 0.5 * schedule.beta(1 - t)) as tf.Tensor2D),
    },
    reverseSde: {
      drift: (t, x) =>
        tf.tidy(() => {
          const b = schedule.beta(1 - t);
          return tf.add(tf.mul(x, 0.5 * b), tf.mul(score(t, x), b)) as tf.Tensor2D;
        }),
      diffusion: (t) => Math.sqrt(schedule.beta(1 - t)),
    },
  };
}
