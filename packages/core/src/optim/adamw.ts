// AdamW (Loshchilov & Hutter 2019) as a chain: [clip] → Adam rescaling → + λθ → −η(s), so that
//   θ ← (θ − η m̂ / (√v̂ + ε)) − ηλ θ.
import { learningRateAt } from '../train/schedule.js';
import { addDecayedWeights } from './add-decayed-weights.js';
import { chain } from './chain.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import type { GradientTransformation } from './gradient-transformation.js';
import { presetOptionsSchema, type PresetOptionsInput } from './preset-options-schema.js';
import { scaleByAdam } from './scale-by-adam.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';

/** Adam with decoupled weight decay `weightDecay` (λ), optional clipping and a learning-rate schedule. */
export function adamw(options: PresetOptionsInput = {}): GradientTransformation {
  const o = presetOptionsSchema.parse(options);
  return chain(
    ...(o.clipNorm > 0 ? [clipByGlobalNorm(o.clipNorm)] : []),
    scaleByAdam({ beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon }),
    addDecayedWeights(o.weightDecay),
    scaleByLearningRate((step, totalSteps) => learningRateAt(o.lr, o.schedule, step, totalSteps)),
  );
}
