// Stochastic gradient descent as a chain: [clip] → [momentum trace] → −η(s):  m ← μ m + g;  θ ← θ − η m.
import { learningRateAt } from '../train/schedule.js';
import { chain } from './chain.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import type { GradientTransformation } from './gradient-transformation.js';
import { presetOptionsSchema, type PresetOptionsInput } from './preset-options-schema.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { trace } from './trace.js';

/** SGD with optional heavy-ball `momentum` (slot `m` only when it is > 0), clipping and a schedule. */
export function sgd(options: PresetOptionsInput = {}): GradientTransformation {
  const o = presetOptionsSchema.parse(options);
  return chain(
    ...(o.clipNorm > 0 ? [clipByGlobalNorm(o.clipNorm)] : []),
    ...(o.momentum > 0 ? [trace(o.momentum)] : []),
    scaleByLearningRate((step, totalSteps) => learningRateAt(o.lr, o.schedule, step, totalSteps)),
  );
}
