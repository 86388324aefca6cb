// The drift a conditional flow integrates for one sampling call. With the condition c of each
// row and the guidance scale w (classifier-free guidance, Ho & Salimans 2022, eq. 6, written for
// velocities as in Zheng et al. 2023 "Guided flows"):
//   ṽ(t, x) = v(t, x | ∅) + w (v(t, x | c) − v(t, x | ∅)),
// so w = 0 is the unconditional field, w = 1 the conditional one (one evaluation each) and any other
// w costs two evaluations per step.
import * as tf from '@tensorflow/tfjs-core';
import { conditionRows, type ConditionBatch, type ConditionSpec, type ConditionalSampleOptions } from '@pfm/core';

/** A velocity that takes the condition of its rows: `[n, d]` → `[n, d]`. */
export type ConditionalVelocity = (t: number, x: tf.Tensor2D, condition?: ConditionBatch) => tf.Tensor2D;

/** What a flow model knows about its condition. */
export interface FlowCondition {
  spec: ConditionSpec;
  /** Trained with condition dropout, so the null branch v(t, x | ∅) is learned and w ≠ 1 is allowed. */
  guided: boolean;
}

/**
 * Checks `options.condition` and `options.guidance` for a model with `condition` (or none) and
 * returns the drift for `n` rows and the velocity evaluations per drift call. The condition rows
 * are tensors made here: call inside tf.tidy. Errors (TypeError / RangeError) name the option,
 * the value and what was expected.
 */
export function guidedDrift(
  velocity: ConditionalVelocity,
  condition: FlowCondition | undefined,
  options: ConditionalSampleOptions,
  n: number,
  where: string,
): { drift: (t: number, x: tf.Tensor2D) => tf.Tensor2D; evaluations: number } {
  const w = guidanceScale(condition, options, where);
  if (condition === undefined) return { drift: (t, x) => velocity(t, x), evaluations: 1 };
  if (options.condition === undefined) {
    const want = condition.spec.kind === 'class' ? `a class label in 0…${condition.spec.classes - 1}` : `a context vector of dimension ${condition.spec.dim}`;
    throw new TypeError(`${where}: this model is conditional; give "condition" (${want}, or one per sample)`);
  }
  const values = conditionRows(condition.spec, options.condition, n, `${where}: condition`);
  const conditioned: ConditionBatch = { values };
  if (w === 1) return { drift: (t, x) => velocity(t, x, conditioned), evaluations: 1 };
  const unconditioned: ConditionBatch = { values, keep: tf.zeros([n]) as tf.Tensor1D };
  if (w === 0) return { drift: (t, x) => velocity(t, x, unconditioned), evaluations: 1 };
  return {
    drift: (t, x) =>
      tf.tidy(() => {
        const vNull = velocity(t, x, unconditioned);
        return tf.add(vNull, tf.mul(w, tf.sub(velocity(t, x, conditioned), vNull))) as tf.Tensor2D;
      }),
    evaluations: 2,
  };
}

/** The guidance scale w of `options` (default 1), checked against the model. */
export function guidanceScale(condition: FlowCondition | undefined, options: ConditionalSampleOptions, where: string): number {
  const { guidance } = options;
  if (condition === undefined) {
    if (options.condition !== undefined) throw new TypeError(`${where}: "condition" given, but this model is unconditional (trained without labels or context)`);
    if (guidance !== undefined) throw new TypeError(`${where}: "guidance" given, but this model is unconditional (guidance needs a model trained with a condition and conditionDropout > 0)`);
    return 1;
  }
  if (guidance === undefined) return 1;
  if (typeof guidance !== 'number' || !Number.isFinite(guidance)) {
    throw new RangeError(`${where}: "guidance" must be a finite number (0 unconditional, 1 conditional, > 1 stronger), got ${String(guidance)}`);
  }
  if (guidance !== 1 && !condition.guided) {
    throw new TypeError(`${where}: "guidance" ${guidance} needs a model trained with condition dropout (conditionDropout > 0); this one was not, so only guidance 1 is defined`);
  }
  return guidance;
}
