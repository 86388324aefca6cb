// The minibatch exact optimal-transport coupling (Tong et al. 2024, §3.3, OT-CFM; Pooladian et al.
// 2023): within a minibatch of B noise points x0 and B data points x1, pair x0_i with x1_σ(i)
// where σ minimises Σ_i ‖x0_i − x1_σ(i)‖² (exact assignment from @pfm/ipm).
import * as tf from '@tensorflow/tfjs-core';
import { exactAssignment } from '@pfm/ipm';
import type { Coupling } from './coupling.js';

/** Re-pairs a minibatch by the optimal assignment for the squared Euclidean cost (noise order kept). */
export function exactOtCoupling(): Coupling {
  return {
    name: 'exact-ot',
    pair(x0, x1) {
      if (x0.shape[0] !== x1.shape[0]) {
        throw new RangeError(`exact-ot coupling: noise and data batches must have the same size, got ${x0.shape[0]} and ${x1.shape[0]}`);
      }
      const assignment = exactAssignment(x0, x1);
      return { x0, x1: tf.tidy(() => tf.gather(x1, tf.tensor1d(assignment, 'int32')) as tf.Tensor2D) };
    },
  };
}
