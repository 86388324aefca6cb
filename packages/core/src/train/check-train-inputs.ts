// The trainer's input checks, run before anything is built: each error names the field, the
// value and what was expected.
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainingRun } from '../contracts/objective.js';
import { divergenceSchema, type DivergenceConfig, type DivergenceOptions } from './divergence.js';
import { emaSchema, type EmaConfig, type EmaOptions } from './ema.js';

/** The options `checkTrainInputs` reads. */
export interface TrainInputOptions {
  steps: number;
  batchSize: number;
  seed: number;
  divergence?: DivergenceOptions;
  ema?: EmaOptions;
}

/** The trainer's policies, parsed. */
export interface CheckedTrainInputs {
  divergence: DivergenceConfig;
  /** Undefined when EMA is off. */
  ema: EmaConfig | undefined;
}

/**
 * Checks the options, the data (`[N, d]`, N > 0, every entry finite) and that the objective has a
 * player; returns the parsed divergence and EMA policies. Throws a RangeError on the first problem found.
 */
export function checkTrainInputs(run: TrainingRun, data: tf.Tensor2D, options: TrainInputOptions): CheckedTrainInputs {
  const positiveInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`train: "${name}" must be a positive integer, got ${v}`);
  };
  positiveInt(options.steps, 'steps');
  positiveInt(options.batchSize, 'batchSize');
  if (!Number.isInteger(options.seed)) throw new RangeError(`train: "seed" must be an integer, got ${options.seed}`);
  if (data.rank !== 2 || data.shape[0] === 0) throw new RangeError(`train: data must be [N, d] with N > 0`);
  const divergence = parseDivergence(options.divergence);
  const ema = options.ema === undefined ? undefined : parseEma(options.ema);
  if (run.players.length === 0) throw new RangeError('train: the objective has no players');
  checkFiniteData(data);
  return { divergence, ema };
}

function parseDivergence(options: DivergenceOptions | undefined): DivergenceConfig {
  const parsed = divergenceSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`train: "divergence.${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}

function parseEma(options: EmaOptions): EmaConfig {
  const parsed = emaSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const value = issue.path.length > 0 ? (options as Record<string, unknown>)[String(issue.path[0])] : options;
    throw new RangeError(`train: "ema${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}" is ${JSON.stringify(value)}: ${issue.message}`);
  }
  return parsed.data;
}

/** Throws if `data` holds a NaN or ±Inf, naming the first such entry. */
function checkFiniteData(data: tf.Tensor2D): void {
  const values = data.dataSync();
  const cols = data.shape[1];
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      const row = Math.floor(i / cols);
      throw new RangeError(
        `train: data row ${row}, column ${i - row * cols} (0-based) is ${values[i]}; the training data must be finite (remove or impute that row)`,
      );
    }
  }
}
