// A few whole training steps of real pfm methods, on cpu and on webgpu from the same seed: the
// data, the initial weights and every random draw come from pfm's Rng (xoshiro128** on the host,
// the same numbers on every backend), so both runs see the same numbers and may differ only by
// float32 rounding. Adam's first steps move each weight by about lr·sign(gradient), whatever the
// gradient's size, so a weight whose gradient is near zero may step differently on the two
// backends: the losses of every step are compared at 1e-4 (relative), the weights after the last
// step at 1e-3 of the largest weight (lr = 1e-3 steps on weights of size ~0.1–1).
import * as tf from '@tensorflow/tfjs-core';
import { createRng, trainRecipe } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';

/** One training case: a recipe and data made on the active backend. */
export interface TrainingCase {
  name: string;
  /** Tolerances of the losses and of the final weights, relative to the largest reference value. */
  lossRtol: number;
  weightRtol: number;
  recipe: Record<string, unknown>;
  data: () => tf.Tensor2D;
  eventShape?: number[];
}

/** The loss of every step and the weights of every network after the last step, flattened. */
export interface TrainingOutcome {
  losses: number[];
  weights: number[];
}

const points = (n: number, dim: number, seed: number) => () => {
  const rng = createRng(seed);
  // Two clusters, so that the methods have structure to learn.
  const base = rng.normalArray(n * dim);
  for (let i = 0; i < n; i++) base[i * dim] = base[i * dim]! * 0.3 + (i % 2 === 0 ? 2 : -2);
  return tf.tensor2d(base, [n, dim]);
};

const images = (n: number, side: number, seed: number) => () => {
  const rng = createRng(seed);
  return tf.tensor2d(rng.uniformArray(n * side * side, 0, 1), [n, side * side]);
};

export const TRAINING_CASES: TrainingCase[] = [
  {
    name: 'flow matching, MLP velocity field (3 steps)',
    lossRtol: 1e-4,
    weightRtol: 1e-3,
    recipe: { method: 'flow-matching', model: { hidden: [32, 32], activation: 'silu' }, steps: 3, batchSize: 64, seed: 3, optimizer: { name: 'adam', lr: 1e-3 } },
    data: points(128, 2, 11),
  },
  {
    name: 'energy distance, MLP generator (3 steps)',
    lossRtol: 1e-4,
    weightRtol: 1e-3,
    recipe: { method: 'energy', model: { hidden: [32, 32] }, steps: 3, batchSize: 64, seed: 4, optimizer: { name: 'adam', lr: 1e-3 } },
    data: points(128, 2, 12),
  },
  {
    name: 'RealNVP, two coupling blocks (3 steps)',
    lossRtol: 1e-4,
    weightRtol: 1e-3,
    recipe: { method: 'realnvp', options: { blocks: 2 }, model: { hidden: [16] }, steps: 3, batchSize: 64, seed: 5, optimizer: { name: 'adam', lr: 1e-3 } },
    data: points(128, 3, 13),
  },
  {
    name: 'flow matching, tiny U-Net on 8×8 images (1 step)',
    lossRtol: 1e-4,
    weightRtol: 1e-3,
    recipe: {
      method: 'flow-matching',
      model: { type: 'unet', channels: 4, channelMult: [1, 2], groups: 2, timeFrequencies: 4, finalScale: 1 },
      steps: 1,
      batchSize: 4,
      seed: 6,
      optimizer: { name: 'adam', lr: 1e-3 },
    },
    data: images(8, 8, 14),
    eventShape: [8, 8, 1],
  },
];

/** Trains `trainingCase` on the active backend and reads back its losses and weights. */
export async function runTrainingCase(trainingCase: TrainingCase): Promise<TrainingOutcome> {
  const registry = createDefaultRegistry();
  const data = trainingCase.data();
  try {
    const { model, result } = await trainRecipe(trainingCase.recipe as never, data, {
      registry,
      ...(trainingCase.eventShape !== undefined ? { eventShape: trainingCase.eventShape } : {}),
    });
    try {
      const weights: number[] = [];
      for (const map of Object.values(model.maps)) {
        for (const variable of map.variables) weights.push(...(await variable.data()));
      }
      return { losses: result.lossHistory, weights };
    } finally {
      model.dispose();
    }
  } finally {
    data.dispose();
  }
}
