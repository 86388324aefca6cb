// One cell of the matrix: train a recipe on a data set with a seed, then measure the model's
// samples against held-out data (W2, energy, MMD, sliced W), its NLL where it has a density, its
// NFE, the training and sampling times and the peak memory.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, modelToContent, trainRecipe, type Model, type RecipeInput, type Registry, type TrainProgress } from '@pfm/core';
import type { BenchDataset } from './bench-datasets.js';
import { MemoryProbe } from '../metrics/memory-probe.js';
import { blockW2, exactW2, sampleMetrics, type BlockW2 } from '../metrics/sample-metrics.js';
import type { NfePoint, RunMetrics } from '../results/results-schema.js';

/** The Euler step counts of the quality-against-NFE front. */
export const NFE_GRID: readonly number[] = [1, 2, 4, 10, 100];

/** Prefix of `options.teacher` that asks the bench to train the teacher from another config first. */
export const TEACHER_PREFIX = '$teacher:';

/** `RunInput.teacherRecipe` over the teacher configs of one data set, naming the known ones when `name` is not among them. */
export function teacherLookup(teachers: Readonly<Record<string, Record<string, unknown>>>): (name: string) => Record<string, unknown> {
  return (name) => {
    const recipe = teachers[name];
    if (!recipe) throw new Error(`teacher config ${name} not found; configs: ${Object.keys(teachers).join(', ')}`);
    return recipe;
  };
}

export interface RunInput {
  registry: Registry;
  recipe: Record<string, unknown>;
  dataset: BenchDataset;
  seed: number;
  /** Held-out evaluation samples (both sides of every metric). */
  samples: number;
  /** Size of the training set. */
  trainSize: number;
  /** Recipes by config name, to resolve `$teacher:<name>`. */
  teacherRecipe?: (name: string) => Record<string, unknown>;
  onProgress?: (p: TrainProgress) => void;
}

export interface RunOutput {
  metrics: RunMetrics;
  nfeSweep?: NfePoint[];
  lossCurve: (number | null)[];
  lossEvery: number;
  preview: number[];
}

function paramCount(model: Model): number {
  let count = 0;
  for (const map of Object.values(model.maps)) for (const v of map.variables) count += v.size;
  return count;
}

function subsample(history: readonly number[], max: number): { curve: (number | null)[]; every: number } {
  const every = Math.max(1, Math.ceil(history.length / max));
  const curve: (number | null)[] = [];
  for (let i = 0; i < history.length; i += every) curve.push(Number.isFinite(history[i]!) ? history[i]! : null);
  return { curve, every };
}

type DataFloor = { w2: number | null; w2At1000: BlockW2 | null };
const floors = new Map<string, DataFloor>();

/**
 * W2 between the training set and the held-out points: two independent samples of the data, so
 * the smallest W2 a model can expect at this sample size. Computed once per data set, seed and sizes.
 */
function dataFloor(key: string, train: tf.Tensor2D, test: tf.Tensor2D): DataFloor {
  const known = floors.get(key);
  if (known) return known;
  const n = test.shape[0];
  let w2: number | null = null;
  if (train.shape[0] >= n) {
    const head = tf.slice(train, [0, 0], [n, train.shape[1]]);
    try {
      w2 = exactW2(head, test);
    } finally {
      head.dispose();
    }
  }
  const floor = { w2, w2At1000: blockW2(train, test, 1000, 7) };
  floors.set(key, floor);
  return floor;
}

/** A flow-like model: its cost follows the Euler step count. */
function eulerSweepable(model: Model): boolean {
  if (typeof model.nfeFor !== 'function') return false;
  try {
    return model.nfeFor({ integrator: 'euler', steps: 10 }) === 10 && model.nfeFor({ integrator: 'euler', steps: 1 }) === 1;
  } catch {
    return false;
  }
}

/** Runs `train`; a failed training's half-built model (attached to the error) is disposed. */
async function trainOwned<T>(train: () => Promise<T>): Promise<T> {
  try {
    return await train();
  } catch (error) {
    (error as { model?: Model }).model?.dispose();
    throw error;
  }
}

/** Trains and evaluates one run; throws on failure (the caller records the error). */
export async function runOne(input: RunInput): Promise<RunOutput> {
  const { registry, dataset, seed, samples } = input;
  const probe = new MemoryProbe();
  probe.start();
  const measure = registry.create('dataset', { id: dataset.dataset, options: dataset.options });
  const root = createRng(seed);
  const train = measure.sample(input.trainSize, root.fold(101));
  const test = measure.sample(samples, root.fold(102));
  const recipe: Record<string, unknown> = { ...input.recipe, seed };
  let model: Model | undefined;
  try {
    const options = (recipe.options ?? {}) as Record<string, unknown>;
    if (typeof options.teacher === 'string' && options.teacher.startsWith(TEACHER_PREFIX)) {
      const name = options.teacher.slice(TEACHER_PREFIX.length);
      if (!input.teacherRecipe) throw new Error(`options.teacher ${options.teacher}: no teacher configs available`);
      const teacher = await trainOwned(() => trainRecipe({ ...input.teacherRecipe!(name), seed } as RecipeInput, train, { registry, onProgress: () => probe.poll() }));
      try {
        recipe.options = { ...options, teacher: modelToContent(teacher.model, registry) };
      } finally {
        teacher.model.dispose();
      }
    }
    const trained = await trainOwned(() =>
      trainRecipe(recipe as RecipeInput, train, {
        registry,
        progressEvery: 10,
        onProgress: (p) => {
          probe.poll();
          input.onProgress?.(p);
        },
      }),
    );
    model = trained.model;
    const { result } = trained;
    if (result.status !== 'completed') throw new Error(`training ${result.status} after ${result.steps} steps`);

    const sampleRng = root.fold(103);
    const start = performance.now();
    const x = model.sample(samples, sampleRng);
    await x.data();
    const sampleSeconds = (performance.now() - start) / 1000;
    probe.poll();
    let quality;
    let preview: number[];
    try {
      quality = { ...sampleMetrics(x, test), w2At1000: blockW2(x, test, 1000, 5) };
      const head = tf.tidy(() => tf.slice(x, [0, 0], [Math.min(400, samples), x.shape[1]]));
      preview = Array.from(head.dataSync(), (v) => Math.round(v * 1000) / 1000);
      head.dispose();
    } finally {
      x.dispose();
    }
    probe.poll();

    let nll: number | null = null;
    if (typeof model.logProb === 'function') {
      const logp = model.logProb(test);
      const mean = tf.tidy(() => tf.neg(tf.mean(logp)));
      const value = mean.dataSync()[0]!;
      tf.dispose([logp, mean]);
      nll = Number.isFinite(value) ? value : null;
    }
    probe.poll();

    let nfeSweep: NfePoint[] | undefined;
    if (eulerSweepable(model)) {
      nfeSweep = [];
      for (const steps of NFE_GRID) {
        const y = model.sample(samples, root.fold(104), { integrator: 'euler', steps });
        try {
          const m = sampleMetrics(y, test, 'w2-energy');
          nfeSweep.push({ integrator: 'euler', steps, nfe: model.nfeFor!({ integrator: 'euler', steps }), w2: m.w2, energy: m.energy });
        } finally {
          y.dispose();
        }
        probe.poll();
      }
    }
    const floor = dataFloor(JSON.stringify([dataset.name, dataset.options, seed, samples, input.trainSize]), train, test);
    probe.stop();
    const loss = subsample(result.lossHistory, 200);
    return {
      metrics: {
        ...quality,
        dataFloor: floor,
        nll,
        nfe: model.nfe,
        trainSeconds: result.seconds,
        stepsPerSecond: result.stepsPerSecond,
        sampleSecondsPer10k: (sampleSeconds * 10_000) / samples,
        peakRssBytes: probe.peakRss,
        peakTfBytes: probe.peakTfBytes,
        paramCount: paramCount(model),
        finalLoss: Number.isFinite(result.finalLoss) ? result.finalLoss : null,
      },
      ...(nfeSweep ? { nfeSweep } : {}),
      lossCurve: loss.curve,
      lossEvery: loss.every,
      preview,
    };
  } finally {
    probe.stop();
    model?.dispose();
    tf.dispose([train, test]);
  }
}
