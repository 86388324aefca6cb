// The descent step: u ← −η(s)·u, with η(s) the learning rate at step s (times the context's `lrScale`).
// Only the terms' float64 scales change, so no value is rounded here.
import type { GradientTransformation, Updates } from './gradient-transformation.js';

/** A learning rate as a function of the 0-based step of `totalSteps`. */
export type LearningRateSchedule = (step: number, totalSteps: number) => number;

/** Multiplies the updates by −η (a constant or a schedule), so that θ + u descends. Stateless. */
export function scaleByLearningRate(learningRate: number | LearningRateSchedule): GradientTransformation {
  if (typeof learningRate === 'number' && !(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new RangeError(`scaleByLearningRate: "learningRate" must be a finite number > 0, got ${learningRate}`);
  }
  const rate = typeof learningRate === 'number' ? () => learningRate : learningRate;
  const scale = <T>(updates: Updates<T>, step: number, totalSteps: number, lrScale: number): Updates<T> => {
    const eta = rate(step, totalSteps) * lrScale;
    return updates.map((term) => ({ values: term.values, scale: term.scale * -eta }));
  };
  return {
    slots: [],
    init: () => ({}),
    update: (updates, state, _params, { step, totalSteps, lrScale }) => [scale(updates, step, totalSteps, lrScale), state],
    host: {
      init: () => ({}),
      update: (updates, _state, _params, { step, totalSteps, lrScale }) => scale(updates, step, totalSteps, lrScale),
    },
  };
}
