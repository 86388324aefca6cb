// The class-conditional test every conditional family runs on the same terms: train a recipe on
// 8gaussians with each point's mode as its class (labelledEightGaussians), draw samples for the
// classes 0…7 in turn and score them by the fraction that lands nearest the requested mode
// (ownModeFraction: about 1/8 for a sampler that ignores its label); then save and reload the model
// through an encoded model file and draw the same samples again.
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionSpec } from '../contracts/condition.js';
import type { Model, SampleOptions } from '../contracts/model.js';
import { decodeModelFile } from '../io/decode-model-file.js';
import { encodeModelFile } from '../io/encode-model-file.js';
import { modelFromContent, modelToContent } from '../model/model-content.js';
import type { Registry } from '../registry/registry.js';
import { createRng } from '../rng/rng.js';
import { trainRecipe, type RecipeInput } from '../train/recipe.js';
import type { TrainResult } from '../train/trainer.js';
import { labelledEightGaussians } from './labelled-eight-gaussians.js';
import { ownModeFraction } from './own-mode-fraction.js';

/** The class spec of labelled 8gaussians: the mode k ∈ 0…7 of each point. */
export const EIGHT_GAUSSIANS_CLASSES = { kind: 'class', classes: 8 } as const satisfies ConditionSpec;

/** How {@link trainOnLabelledEightGaussians} draws its data and its samples (all seeded). */
export interface LabelledEightGaussiansRunOptions {
  /** Training points (default 4096). */
  points?: number;
  /** Seed of the training points and labels (default 1). */
  dataSeed?: number;
  /** Samples drawn after training, for the classes 0…7 in turn (default 800). */
  samples?: number;
  /** Seed of the samples, `createRng(sampleSeed)` (default 9). */
  sampleSeed?: number;
  /** Further sampling options (integrator steps, guidance, …); the condition is the requested classes. */
  sample?: Omit<SampleOptions, 'condition'>;
}

/** What a conditional test reads from {@link trainOnLabelledEightGaussians}. */
export interface LabelledEightGaussiansRun {
  /** The trained model; the caller disposes it. */
  model: Model;
  result: TrainResult;
  /** The class requested for each sample: 0…7 in turn. */
  wanted: Int32Array;
  /** The samples `[n, 2]`, row-major, drawn for `wanted`. */
  samples: Float32Array;
  /** The fraction of samples nearest the centre of their requested mode. */
  fraction: number;
  /** The model saved to an encoded model file (weights inline) and loaded back: its condition and the same draw. */
  reloaded: { condition: ConditionSpec | undefined; samples: Float32Array };
}

/**
 * Trains `recipe` on labelled 8gaussians (`options.points` points of seed `options.dataSeed`, their
 * modes as classes) with `registry`, then samples and scores the model as the header says. Every
 * tensor it makes is disposed except the returned model. A failed training rejects as `trainRecipe` does.
 */
export async function trainOnLabelledEightGaussians(recipe: RecipeInput, registry: Registry, options: LabelledEightGaussiansRunOptions = {}): Promise<LabelledEightGaussiansRun> {
  const { points = 4096, dataSeed = 1, samples: count = 800, sampleSeed = 9, sample = {} } = options;
  const { x, labels } = labelledEightGaussians(points, dataSeed);
  let trained: Awaited<ReturnType<typeof trainRecipe>>;
  try {
    trained = await trainRecipe(recipe, x, { registry, condition: { spec: EIGHT_GAUSSIANS_CLASSES, rows: labels } });
  } finally {
    tf.dispose([x, labels]);
  }
  const { model, result } = trained;
  try {
    const wanted = Int32Array.from({ length: count }, (_, i) => i % 8);
    const draw = (m: Model): { values: Float32Array; fraction: number } => {
      const y = m.sample(count, createRng(sampleSeed), { ...sample, condition: wanted });
      try {
        return { values: Float32Array.from(y.dataSync()), fraction: ownModeFraction(y, wanted) };
      } finally {
        y.dispose();
      }
    };
    const first = draw(model);
    const { json } = encodeModelFile(modelToContent(model, registry), { weights: 'inline' });
    const loaded = modelFromContent(decodeModelFile(json, { source: 'labelled-8gaussians.json' }), registry, 'labelled-8gaussians.json');
    try {
      const again = draw(loaded);
      return { model, result, wanted, samples: first.values, fraction: first.fraction, reloaded: { condition: loaded.condition, samples: again.values } };
    } finally {
      loaded.dispose();
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
}
