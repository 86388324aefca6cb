import { CliError } from '../cli/cli-error.js';
import type { CommandInput } from '../cli/command-spec.js';
import { booleanFlag, integerFlag, nonNegativeNumberFlag, positiveNumberFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import type { RecipeInputs } from './recipe-inputs.js';

/** Minutes of wall time between two checkpoints when --checkpoint-minutes is not given. */
export const DEFAULT_CHECKPOINT_MINUTES = 5;

/** The flags of `pfm train`, checked. */
export interface TrainFlags {
  dataPath: string;
  out: string;
  configPath: string | undefined;
  teacherPath: string | undefined;
  resumePath: string | undefined;
  /** --checkpoint-every: steps between checkpoints. */
  checkpointEvery: number | undefined;
  /** --checkpoint-minutes: wall-time minutes between checkpoints, 0 for none. */
  checkpointMinutes: number;
  /** --time-limit: minutes of wall time after which training stops and the model is saved. */
  timeLimitMinutes: number | undefined;
  quiet: boolean;
  /** The recipe flags (--config and --teacher are read later, from their files). */
  inputs: RecipeInputs;
  /** --labels: a file with the class label of each data row (conditional training). */
  labelsPath: string | undefined;
  /** --context: a file with the context vector of each data row (conditional training on R^m). */
  contextPath: string | undefined;
  /** --condition-dropout: options.conditionDropout, the probability of training a row without its label. */
  conditionDropout: number | undefined;
}

/** --on-divergence: stop or rollback. */
function divergenceActionFlag(text: string | undefined): 'stop' | 'rollback' | undefined {
  if (text === undefined) return undefined;
  if (text !== 'stop' && text !== 'rollback') throw new CliError(`--on-divergence must be "stop" or "rollback", got "${text}"`);
  return text;
}

/** Reads and checks every flag of `pfm train`; errors name the flag and the value. */
export function readTrainFlags(values: CommandInput['values']): TrainFlags {
  const dataPath = requiredFlag(values, 'data', 'train');
  const out = requiredFlag(values, 'out', 'train');
  const configPath = stringFlag(values, 'config');
  const teacherPath = stringFlag(values, 'teacher');
  const resumePath = stringFlag(values, 'resume');
  const checkpointEvery = integerFlag(stringFlag(values, 'checkpoint-every'), '--checkpoint-every', { min: 1 });
  const checkpointMinutes = nonNegativeNumberFlag(stringFlag(values, 'checkpoint-minutes'), '--checkpoint-minutes') ?? DEFAULT_CHECKPOINT_MINUTES;
  const inputs: RecipeInputs = {
    method: stringFlag(values, 'method'),
    steps: integerFlag(stringFlag(values, 'steps'), '--steps', { min: 1 }),
    batchSize: integerFlag(stringFlag(values, 'batch-size'), '--batch-size', { min: 1 }),
    lr: positiveNumberFlag(stringFlag(values, 'lr'), '--lr'),
    seed: integerFlag(stringFlag(values, 'seed'), '--seed'),
    onDivergence: divergenceActionFlag(stringFlag(values, 'on-divergence')),
    maxRollbacks: integerFlag(stringFlag(values, 'max-rollbacks'), '--max-rollbacks', { min: 1 }),
    rollbackLrFactor: positiveNumberFlag(stringFlag(values, 'rollback-lr-factor'), '--rollback-lr-factor'),
    emaDecay: nonNegativeNumberFlag(stringFlag(values, 'ema-decay'), '--ema-decay'),
  };
  if (inputs.emaDecay !== undefined && inputs.emaDecay >= 1) {
    throw new CliError(`--ema-decay must be a number in [0, 1), got "${stringFlag(values, 'ema-decay')}"`);
  }
  const timeLimitMinutes = positiveNumberFlag(stringFlag(values, 'time-limit'), '--time-limit');
  if (inputs.rollbackLrFactor !== undefined && inputs.rollbackLrFactor >= 1) {
    throw new CliError(`--rollback-lr-factor must be a number in (0, 1), got "${stringFlag(values, 'rollback-lr-factor')}"`);
  }
  const labelsPath = stringFlag(values, 'labels');
  const contextPath = stringFlag(values, 'context');
  if (labelsPath !== undefined && contextPath !== undefined) {
    throw new CliError('--labels and --context both give the condition of the data rows (a class, or a context vector); use one');
  }
  const conditionDropout = nonNegativeNumberFlag(stringFlag(values, 'condition-dropout'), '--condition-dropout');
  if (conditionDropout !== undefined && conditionDropout >= 1) {
    throw new CliError(`--condition-dropout must be a number in [0, 1), got "${stringFlag(values, 'condition-dropout')}"`);
  }
  if (conditionDropout !== undefined && labelsPath === undefined && contextPath === undefined) {
    throw new CliError('--condition-dropout needs --labels FILE or --context FILE (it drops the condition of training rows)');
  }
  return {
    dataPath,
    out,
    configPath,
    teacherPath,
    resumePath,
    checkpointEvery,
    checkpointMinutes,
    timeLimitMinutes,
    quiet: booleanFlag(values, 'quiet'),
    inputs,
    labelsPath,
    contextPath,
    conditionDropout,
  };
}
