// The training worker: owns every tensor (data, model, optimizer state) on the chosen backend,
// so the page stays responsive while a step runs. It trains with the same recipe and trainer as
// `pfm train`, posts the loss, a preview of the sample cloud and, for flows, trajectories, and
// keeps the last model for "compare samplers" and the downloads. On labelled data it can train a
// class-conditional model, then samples the class (and guidance scale) the page's picker asks for.
import * as tf from '@tensorflow/tfjs-core';
import {
  createRng,
  createTrainingRun,
  decodeModelFile,
  encodeDataFile,
  encodeModelFile,
  modelFromContent,
  formatCsv,
  parseRecipe,
  train,
  TrainingDivergedError,
  withOptimizerEntry,
  modelToContent,
  type Model,
  type Recipe,
  type SampleOptions,
} from '@pfm/core';
import { createDemoRegistry } from '../registry.js';
import { startBackend } from './start-backend.js';
import { compareSamplers } from './compare-samplers.js';
import { eulerTrajectories, velocityField } from './euler-trajectories.js';
import { conditionSampleOptions, modelCondition } from './condition-sample-options.js';
import { GRID_IMAGES, LOADED_SAMPLE_SEED, type ConditionChoice, type FromWorker, type ModelCondition, type PointTable, type ToWorker } from '../protocol.js';

interface Trained {
  model: Model;
  /** The recipe it was trained with (for a loaded file: its `training.recipe`, when valid). */
  recipe: Recipe | undefined;
  /** Name of downloads: the method, or the loaded file's name. */
  name: string;
  /** `[h, w, c]` when it samples images. */
  eventShape: number[] | undefined;
  backend: string;
  data: PointTable;
  reference: PointTable | undefined;
  training: Record<string, unknown>;
  /** What a conditional model is conditioned on, and the picker's last choice (compare and downloads sample it). */
  condition: ModelCondition | undefined;
  choice: ConditionChoice;
}

/** The picker's choice before the page sends one: every class, conditional (w = 1). */
const ALL_CLASSES: ConditionChoice = { class: 'all', guidance: 1 };
/** Images per class in a grid of every class (one grid row each). */
const IMAGES_PER_CLASS = 8;
/** Points drawn for a class picker choice. */
const CHOICE_POINTS = 1000;

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const registry = createDemoRegistry();
/** Points drawn for the preview; the same noise every time, so the cloud moves smoothly. */
const PREVIEW_POINTS = 600;
const PREVIEW_SEED = 7;
/** Shortest time between two previews: drawing costs a full sampling pass. */
const PREVIEW_INTERVAL_MS = 150;
const PROGRESS_INTERVAL_MS = 50;
/** Samples per setting when "compare" measures a model of images. */
const IMAGE_COMPARE_SAMPLES = 200;

let trained: Trained | undefined;
let controller: AbortController | undefined;

const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
// A macrotask, so that a "stop" message is handled between steps.
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'stop') {
    controller?.abort();
    return;
  }
  handle(message).catch((error: unknown) => post({ type: 'error', message: errorText(error) }));
};

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'train':
      return trainModel(message);
    case 'load-model':
      return loadModel(message);
    case 'compare': {
      const current = requireModel();
      const reference = current.reference ?? current.data;
      if (reference.rows === 0) {
        throw new Error(`compare: the model samples dim ${current.model.dim}; choose data of that dimension, then load the model again`);
      }
      // Images cost far more per sample than points: 200 of them keep the comparison to seconds.
      const samples = current.eventShape ? IMAGE_COMPARE_SAMPLES : 1000;
      const condition = conditionSampleOptions(current.condition, current.choice, samples);
      const { rows, floor } = await compareSamplers(current.model, reference, current.reference ? current.data : undefined, samples, condition);
      post({ type: 'comparison', rows, ...(floor === undefined ? {} : { floor }) });
      return;
    }
    case 'export-model': {
      const current = requireModel();
      const content = modelToContent(current.model, registry, current.training, current.eventShape);
      const { json } = encodeModelFile(content, { weights: 'inline' });
      post({ type: 'model-file', json, fileName: `${current.name}.json` });
      return;
    }
    case 'export-samples': {
      const current = requireModel();
      const values = samplePoints(current.model, message.n, (current.recipe?.seed ?? LOADED_SAMPLE_SEED) + 1, conditionSampleOptions(current.condition, current.choice, message.n));
      const { dim } = current.model;
      if (current.eventShape) {
        const bytes = encodeDataFile({ rows: message.n, cols: dim, values, shape: current.eventShape }, 'npy');
        post({ type: 'samples-file', content: bytes, fileName: `${current.name}-samples.npy`, mimeType: 'application/octet-stream' }, [bytes.buffer]);
        return;
      }
      const csv = formatCsv({ rows: message.n, cols: dim, values, ...(dim <= 2 ? { header: ['x', 'y'].slice(0, dim) } : {}) });
      post({ type: 'samples-file', content: csv, fileName: `${current.name}-samples.csv`, mimeType: 'text/csv' });
      return;
    }
    case 'sample-condition':
      return sampleChoice(message.choice);
    default:
      return;
  }
}

/**
 * Draws the samples of the picker's `choice` from the current conditional model (seed
 * PREVIEW_SEED) and keeps the choice for compare and the downloads: images of every class as
 * IMAGES_PER_CLASS a class, one grid row each; one class as GRID_IMAGES images; points as
 * CHOICE_POINTS.
 */
function sampleChoice(choice: ConditionChoice): void {
  const current = requireModel();
  if (!current.condition) throw new Error(`class picker: the ${current.model.method} model is unconditional`);
  if (current.condition.classes !== undefined && choice.class !== 'all' && !(Number.isInteger(choice.class) && choice.class >= 0 && choice.class < current.condition.classes)) {
    throw new Error(`class picker: class ${choice.class} is not a class of this model; expected 0…${current.condition.classes - 1}`);
  }
  current.choice = choice;
  const everyClass = choice.class === 'all' && current.condition.classes !== undefined;
  const count = current.eventShape ? (everyClass ? current.condition.classes! * IMAGES_PER_CLASS : GRID_IMAGES) : CHOICE_POINTS;
  const options = conditionSampleOptions(current.condition, choice, count, current.eventShape ? IMAGES_PER_CLASS : 1);
  const samples = samplePoints(current.model, count, PREVIEW_SEED, options);
  const nfe = current.model.nfeFor?.(options) ?? current.model.nfe;
  post({ type: 'condition-samples', choice, samples, count, ...(current.eventShape && everyClass ? { columns: IMAGES_PER_CLASS } : {}), nfe }, [samples.buffer]);
}

function requireModel(): Trained {
  if (!trained) throw new Error('train a model first');
  return trained;
}

/**
 * Loads a model file (inline weights) as the current model and draws `GRID_IMAGES` samples with
 * seed `LOADED_SAMPLE_SEED` at once, timed. Keeps the page's data for "compare" when it has the
 * model's dimension.
 */
async function loadModel(message: Extract<ToWorker, { type: 'load-model' }>): Promise<void> {
  controller?.abort();
  const chosen = await startBackend(message.backend);
  const backend = chosen.name;
  post({ type: 'backend', backend, ...(chosen.fallback !== undefined ? { fallback: chosen.fallback } : {}) });
  const content = decodeModelFile(message.json, { source: message.fileName });
  const model = modelFromContent(content, registry, message.fileName);
  const eventShape = content.eventShape ? [...content.eventShape] : undefined;
  const condition = modelCondition(model);
  let samples: Float32Array;
  let sampleMs: number;
  try {
    const started = performance.now();
    samples = samplePoints(model, GRID_IMAGES, LOADED_SAMPLE_SEED, conditionSampleOptions(condition, ALL_CLASSES, GRID_IMAGES));
    sampleMs = performance.now() - started;
  } catch (error) {
    model.dispose();
    throw error;
  }
  trained?.model.dispose();
  const recipe = (() => {
    try {
      return parseRecipe(content.training?.recipe, registry);
    } catch {
      return undefined;
    }
  })();
  const fits = (table: PointTable | undefined) => (table !== undefined && table.cols === model.dim ? table : undefined);
  const data = fits(message.data) ?? { rows: 0, cols: model.dim, values: new Float32Array(0) };
  trained = {
    model,
    recipe,
    name: message.fileName.replace(/\.json$/i, ''),
    eventShape,
    backend,
    data,
    reference: fits(message.reference),
    training: content.training ?? {},
    condition,
    choice: ALL_CLASSES,
  };
  post(
    {
      type: 'loaded',
      method: content.method,
      dim: model.dim,
      ...(eventShape ? { eventShape } : {}),
      nfe: model.nfe,
      samples,
      count: GRID_IMAGES,
      sampleMs,
      ...(condition ? { condition } : {}),
    },
    [samples.buffer],
  );
}

function samplePoints(model: Model, n: number, seed: number, options?: SampleOptions): Float32Array {
  const x = model.sample(n, createRng(seed), options);
  try {
    return x.dataSync() as Float32Array;
  } finally {
    x.dispose();
  }
}

async function trainModel(message: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  controller?.abort();
  const chosen = await startBackend(message.backend);
  const backend = chosen.name;
  post({ type: 'backend', backend, ...(chosen.fallback !== undefined ? { fallback: chosen.fallback } : {}) });
  trained?.model.dispose();
  trained = undefined;

  const recipe = parseRecipe(message.recipe, registry);
  const { rows, cols, values, shape: eventShape, labels } = message.data;
  if (message.conditional && labels === undefined) throw new Error('conditional training needs labelled data (8gaussians, moons, checkerboard, mnist)');
  const data = tf.tensor2d(values, [rows, cols]);
  // Class-conditional: the labels are the condition rows of the training run and of every batch.
  const conditionRows = message.conditional ? tf.tensor1d(labels!.values, 'int32') : undefined;
  const disposeData = () => tf.dispose([data, ...(conditionRows ? [conditionRows] : [])]);
  const run = (() => {
    try {
      return createTrainingRun(recipe, data, registry, {
        ...(eventShape ? { eventShape } : {}),
        ...(conditionRows ? { condition: { spec: { kind: 'class' as const, classes: labels!.classes }, rows: conditionRows } } : {}),
      });
    } catch (error) {
      disposeData();
      throw error;
    }
  })();
  const model = run.model;
  const condition = modelCondition(model);
  // Previews of a conditional model show every class in turn (sample i has class i mod K).
  const previewCount = eventShape ? GRID_IMAGES : PREVIEW_POINTS;
  const previewOptions = conditionSampleOptions(condition, ALL_CLASSES, previewCount);
  const field = velocityField(model);
  const trajectoryNoise = createRng(PREVIEW_SEED + 1);
  const own = new AbortController();
  controller = own;

  let pending: number[] = [];
  let lastPost = 0;
  let lastPreview = -Infinity;
  let previewGap = PREVIEW_INTERVAL_MS;
  const onProgress = (p: { step: number; steps: number; loss: number; stepsPerSecond: number }) => {
    pending.push(p.loss);
    const now = performance.now();
    const last = p.step === p.steps;
    if (!last && now - lastPost < PROGRESS_INTERVAL_MS) return;
    lastPost = now;
    const message: Extract<FromWorker, { type: 'progress' }> = {
      type: 'progress',
      step: p.step,
      steps: p.steps,
      losses: pending,
      stepsPerSecond: p.stepsPerSecond,
    };
    pending = [];
    const transfer: Transferable[] = [];
    if (last || now - lastPreview >= previewGap) {
      const started = performance.now();
      try {
        message.samples = samplePoints(model, previewCount, PREVIEW_SEED, previewOptions);
        transfer.push(message.samples.buffer);
        if (field) {
          message.trajectories = eulerTrajectories(field, trajectoryNoise, { paths: 48, steps: 24, ...(condition?.classes !== undefined ? { classes: condition.classes } : {}) });
          transfer.push(message.trajectories.values.buffer);
        }
      } catch (error) {
        post({ type: 'error', message: `preview: ${errorText(error)}` });
      }
      // Previews take at most about a third of the time, however slow sampling is.
      lastPreview = performance.now();
      previewGap = Math.max(PREVIEW_INTERVAL_MS, 2 * (lastPreview - started));
    }
    post(message, transfer);
  };

  const started = performance.now();
  let status: 'completed' | 'aborted' | 'diverged' = 'completed';
  let steps = 0;
  let note: string | undefined;
  try {
    const result = await train(run, data, {
      steps: recipe.steps,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      optimizer: withOptimizerEntry(recipe.optimizer, registry),
      progressEvery: 1,
      onProgress,
      signal: own.signal,
      ...(conditionRows ? { condition: conditionRows } : {}),
      // The trainer awaits checkpoints: every few steps, the worker reads its messages.
      checkpointEvery: 4,
      onCheckpoint: yieldToEventLoop,
    });
    status = result.status;
    steps = result.steps;
  } catch (error) {
    if (!(error instanceof TrainingDivergedError)) {
      run.dispose?.();
      model.dispose();
      disposeData();
      throw error;
    }
    status = 'diverged';
    steps = error.completedSteps;
    note = error.message;
  } finally {
    if (controller === own) controller = undefined;
  }
  run.dispose?.();
  disposeData();
  if (pending.length > 0) {
    post({ type: 'progress', step: steps, steps: recipe.steps, losses: pending, stepsPerSecond: 0 });
  }
  const seconds = (performance.now() - started) / 1000;
  trained = {
    model,
    recipe,
    name: recipe.method,
    eventShape,
    backend,
    data: message.data,
    reference: message.reference,
    training: {
      recipe: recipe as unknown as Record<string, unknown>,
      backend,
      data: { rows, cols, ...(eventShape ? { shape: eventShape } : {}), ...(conditionRows ? { classes: labels!.classes } : {}) },
      status,
      steps,
      seconds,
      app: '@pfm/demo',
    },
    condition,
    choice: ALL_CLASSES,
  };
  post({ type: 'done', status, steps, seconds, nfe: model.nfe, ...(note === undefined ? {} : { message: note }), ...(condition ? { condition } : {}) });
}
