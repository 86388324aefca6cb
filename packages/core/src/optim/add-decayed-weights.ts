// Decoupled weight decay (Loshchilov & Hutter 2019): u ← u + λθ. The term λθ stays separate from
// u, so that after `scaleByLearningRate` the step is θ ← (θ − η u) − fl(ηλ)·θ: the weight decay of AdamW.
import type { GradientTransformation } from './gradient-transformation.js';

/** Adds `weightDecay · params` to the updates (nothing when `weightDecay` is 0). Stateless. */
export function addDecayedWeights(weightDecay: number): GradientTransformation {
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) {
    throw new RangeError(`addDecayedWeights: "weightDecay" must be a finite number ≥ 0, got ${weightDecay}`);
  }
  return {
    slots: [],
    init: () => ({}),
    update: (updates, state, params) => [weightDecay === 0 ? updates : [...updates, { values: params, scale: weightDecay }], state],
    host: {
      init: () => ({}),
      update: (updates, _state, params) => (weightDecay === 0 ? updates : [...updates, { values: params, scale: weightDecay }]),
    },
  };
}
