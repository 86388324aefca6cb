// Adam (Kingma & Ba 2015) as a chain: [clip by global norm] → Adam rescaling → −η(s).
import { learningRateAt } from '../train/schedule.js';
import { chain } from './chain.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import type { GradientTransformation } from './gradient-transformation.js';
import { presetOptionsSchema, type PresetOptionsInput } from './preset-options-schema.js';
import { scaleByAdam } from './scale-by-adam.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';

/** Adam: θ ← θ − η m̂ / (√v̂ + ε), with optional clipping and a learning-rate schedule. `weightDecay` is ignored (see `adamw`). */
export function adam(options: PresetOptionsInput = {}): GradientTransformation {
  const o = presetOptionsSchema.parse(options);
  return chain(
    ...(o.clipNorm > 0 ? [clipByGlobalNorm(o.clipNorm)] : []),
    scaleByAdam({ beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon }),
    scaleByLearningRate((step, totalSteps) => learningRateAt(o.lr, o.schedule, step, totalSteps)),
  );
}
