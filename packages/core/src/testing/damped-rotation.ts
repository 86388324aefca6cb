// The linear test problem of the order suites: dy/dt = y A for rows y, A = [[−a, w], [−w, −a]],
// a damped rotation, so y(t) = e^{−a t} R(w t) y₀ is known in closed form (float64 on the host).
import * as tf from '@tensorflow/tfjs-core';
import type { DifferentialProblem } from '../contracts/integrator.js';

/** The damped rotation with damping `a` and angular speed `w`: the problem and its exact flow. */
export function dampedRotation(a = 0.5, w = 2): { problem: DifferentialProblem; exact(y0: readonly number[], t: number): number[] } {
  return {
    problem: {
      drift: (_t, y) => tf.tidy(() => tf.matMul(y, tf.tensor2d([-a, w, -w, -a], [2, 2]))) as tf.Tensor2D,
    },
    exact: (y0, t) => {
      const r = Math.exp(-a * t);
      return [r * (Math.cos(w * t) * y0[0]! - Math.sin(w * t) * y0[1]!), r * (Math.sin(w * t) * y0[0]! + Math.cos(w * t) * y0[1]!)];
    },
  };
}
