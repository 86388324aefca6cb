import * as tf from '@tensorflow/tfjs-core';
import { createTrainingRun, parseRecipe, train, withOptimizerEntry, type Model, type Registry, type SampleOptions } from '@pfm/core';
import { MNIST_EVENT_SHAPE } from '@pfm/datasets';
import type { MnistArgs } from './mnist-args.js';
import type { MnistSplit } from './mnist-split.js';
import type { FldAtTime } from './mnist-summary.js';
import { sampledFld } from './sampled-fld.js';

/** A model trained by {@link trainWithinBudget} and how its training went. */
export interface Trained {
  model: Model;
  steps: number;
  trainSeconds: number;
  stoppedBy: 'steps' | 'minutes';
  fldByTime: FldAtTime[];
}

/**
 * Trains `recipe` on `data` until its steps or `args.minutes` of training run out, measuring FLD
 * (on `args.checkpointSamples` samples of the current weights) at each fraction of the budget in
 * `args.checkpoints`; evaluation time is kept out of the budget and of the training time. With
 * `labels` (the digit of each training row) the run is class-conditional (10 classes); checkpoint
 * FLDs then sample the digits 0…9 in turn.
 */
export async function trainWithinBudget(
  recipe: Record<string, unknown>,
  split: MnistSplit,
  args: MnistArgs,
  registry: Registry,
  seed: number,
  labels?: Int32Array,
): Promise<Trained> {
  const parsed = parseRecipe(recipe, registry);
  const rows = labels ? tf.tensor1d(labels, 'int32') : undefined;
  const condition = rows ? { spec: { kind: 'class' as const, classes: 10 }, rows } : undefined;
  const checkpointOptions: SampleOptions | undefined = labels ? { condition: Int32Array.from({ length: args.checkpointSamples }, (_, i) => i % 10) } : undefined;
  let run: ReturnType<typeof createTrainingRun>;
  try {
    run = createTrainingRun(parsed, split.train, registry, { eventShape: MNIST_EVENT_SHAPE, ...(condition ? { condition } : {}) });
  } catch (error) {
    rows?.dispose();
    throw error;
  }
  const budget = args.minutes * 60;
  const controller = new AbortController();
  const fldByTime: FldAtTime[] = [];
  let evalSeconds = 0;
  let next = 0;
  let stoppedBy: 'steps' | 'minutes' = 'steps';
  const started = performance.now();
  try {
    const result = await train(run, split.train, {
      steps: parsed.steps,
      batchSize: parsed.batchSize,
      seed: parsed.seed,
      optimizer: withOptimizerEntry(parsed.optimizer, registry),
      ...(parsed.ema ? { ema: parsed.ema } : {}),
      ...(rows ? { condition: rows } : {}),
      signal: controller.signal,
      progressEvery: 1,
      onProgress: ({ step, steps }) => {
        const trained = (performance.now() - started) / 1000 - evalSeconds;
        const fraction = Math.max(step / steps, trained / budget);
        if (next < args.checkpoints.length && fraction >= args.checkpoints[next]! && step < steps) {
          while (next < args.checkpoints.length && fraction >= args.checkpoints[next]!) next++;
          const evalStart = performance.now();
          fldByTime.push({ step, seconds: trained, fld: sampledFld(run.model, args.checkpointSamples, seed, split.test, checkpointOptions) });
          evalSeconds += (performance.now() - evalStart) / 1000;
        }
        if (trained >= budget && step < steps) {
          stoppedBy = 'minutes';
          controller.abort();
        }
      },
    });
    const trainSeconds = (performance.now() - started) / 1000 - evalSeconds;
    return { model: run.model, steps: result.steps, trainSeconds, stoppedBy, fldByTime };
  } catch (error) {
    run.model.dispose();
    throw error;
  } finally {
    run.dispose?.();
    rows?.dispose();
  }
}
