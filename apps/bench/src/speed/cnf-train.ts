// The CNF speed case: one optimizer step (Adam, lr 1e-3) of the benchmark's `cnf` recipe
// (configs/cnf.json: velocity MLP 3 → 64×3 → 2 SELU, default options, so the default training solver) on a
// batch of 512 moons points:
//   L = −mean log p_1(x),  log p_1(x) = log N(z; 0, I) − ∫₀¹ ∇·v_t(x_t) dt
// (Chen et al. 2018, Theorem 1), the objective's own loss, so its divergence and solver are what is
// timed. `cnf-train-fm` times the same network under flow matching, the family's cheap baseline.
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, createRng, createTrainingRun, parseRecipe, type OptimizerPath, type TrainingRun } from '@pfm/core';
import { moons } from '@pfm/datasets';
import { cnfSchema } from '@pfm/flows';
import { benchRegistry } from '../registry/bench-registry.js';

/** The ids of the CNF speed cases. */
export const CNF_TRAIN_CASES = ['train-cnf-moons', 'train-fm-moons'] as const;
export type CnfTrainCase = (typeof CNF_TRAIN_CASES)[number];

/** Points per step, as in configs/cnf.json. */
export const CNF_TRAIN_BATCH = 512;

const NETWORK = { hidden: [64, 64, 64], activation: 'selu' };

/** Table label of a case. */
export function cnfTrainLabel(id: CnfTrainCase): string {
  const train = cnfSchema.parse({}).train;
  return id === 'train-cnf-moons'
    ? `CNF training step (exact divergence, ${typeof train.integrator === 'string' ? train.integrator : train.integrator.id} × ${train.steps}), MLP 3→64×3→2 SELU, moons, batch ${CNF_TRAIN_BATCH}, Adam`
    : `FM training step through the objective, MLP 3→64×3→2 SELU, moons, batch ${CNF_TRAIN_BATCH}, Adam`;
}

/** One training step of case `id` (the batch drawn from step index i), and the disposal of its run. */
export interface CnfTrainStepper {
  step(i: number): void;
  dispose(): void;
}

/** Builds case `id`'s run, data and Adam optimizer; `step(i)` runs one step and waits for its kernels. */
export function createCnfTrainStep(id: CnfTrainCase, optimizerPath?: OptimizerPath): CnfTrainStepper {
  if (!CNF_TRAIN_CASES.includes(id)) throw new RangeError(`cnf speed case: id must be one of ${CNF_TRAIN_CASES.join(', ')}, got ${JSON.stringify(id)}`);
  const registry = benchRegistry();
  const recipe = parseRecipe({ method: id === 'train-cnf-moons' ? 'cnf' : 'flow-matching', model: NETWORK, batchSize: CNF_TRAIN_BATCH, seed: 0 }, registry);
  const rng = createRng(5);
  const data = moons({ variant: 'torchcfm' }).sample(8192, rng.fold(0));
  let run: TrainingRun | undefined;
  let optimizer: ReturnType<typeof createOptimizer> | undefined;
  const dispose = () => {
    optimizer?.dispose();
    run?.model.dispose();
    run?.dispose?.();
    data.dispose();
  };
  try {
    run = createTrainingRun(recipe, data, registry);
    const player = run.players[0]!;
    const variables = player.variables as tf.Variable[];
    const adam = createOptimizer({ name: 'adam', lr: 1e-3 }, variables, optimizerPath);
    optimizer = adam;
    const step = (i: number) =>
      tf.tidy(() => {
        const r = rng.fold(1000 + i);
        const rows = tf.tensor1d(r.fold(0).uniformArray(CNF_TRAIN_BATCH, 0, 8192).map(Math.floor), 'int32');
        const batch = tf.gather(data, rows) as tf.Tensor2D;
        const { value, grads } = tf.variableGrads(() => player.loss({ batch, rng: r.fold(1), step: i, totalSteps: 1_000_000 }), variables);
        adam.apply(variables.map((v) => grads[v.name]!), i, 1_000_000);
        // Read one value so that every kernel has run (the wasm and cpu kernels are synchronous).
        variables[0]!.dataSync();
        value.dispose();
      });
    return { step, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** Steps per second of case `id`, one rate per repeat (the caller takes the median). */
export async function cnfTrainRate(id: CnfTrainCase, settings: { repeats: number; trainSteps: number; optimizerPath?: OptimizerPath }): Promise<number[]> {
  const { step, dispose } = createCnfTrainStep(id, settings.optimizerPath);
  const rates: number[] = [];
  try {
    for (let i = 0; i < 3; i++) step(i); // warm-up: allocator, XNNPACK operators
    // A CNF step costs tens of flow-matching steps: a fifth of the steps, at least 3.
    const steps = id === 'train-cnf-moons' ? Math.max(3, Math.ceil(settings.trainSteps / 5)) : settings.trainSteps;
    for (let r = 0; r < settings.repeats; r++) {
      const start = performance.now();
      for (let i = 0; i < steps; i++) step(10 + r * steps + i);
      rates.push(steps / ((performance.now() - start) / 1000));
    }
  } finally {
    dispose();
  }
  return rates;
}
