import * as tf from '@tensorflow/tfjs-core';
import {
  createTrainingRun,
  dataFingerprint,
  disposeCheckpoint,
  parseRecipe,
  train,
  TrainingDivergedError,
  type Checkpoint,
  type DecodedCheckpoint,
  type Recipe,
  type Registry,
  type TrainResult,
} from '@pfm/core';
import { checkWritable, readDataFile, saveModel } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, integerFlag, positiveNumberFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { readRecipeFile } from '../train/read-recipe-file.js';
import { checkpointCadence } from '../train/checkpoint-cadence.js';
import { checkpointPathFor, readCheckpointFile, writeCheckpointFile } from '../train/checkpoint-store.js';
import { firstDifference, previewValue } from '../train/first-difference.js';
import { ProgressReporter } from '../train/progress-reporter.js';
import { hasRecipeInputs, recipeFromInputs, type RecipeInputs } from '../train/recipe-inputs.js';
import { teacherOption, withoutTeacher } from '../train/teacher-option.js';
import { removeStaleTemporaries } from '../train/stale-temporaries.js';
import { yieldToEventLoop } from '../train/yield-to-event-loop.js';

/** --on-divergence: stop or rollback. */
function divergenceActionFlag(text: string | undefined): 'stop' | 'rollback' | undefined {
  if (text === undefined) return undefined;
  if (text !== 'stop' && text !== 'rollback') throw new CliError(`--on-divergence must be "stop" or "rollback", got "${text}"`);
  return text;
}

/**
 * Disk space a run needs, from its parameter count P: the model file (float32 in base64, 16/3
 * bytes a value) and one checkpoint being replaced by the next (parameters and up to two optimizer
 * slots each, twice with a rollback snapshot), plus 64 KiB of JSON.
 */
function bytesNeeded(run: ReturnType<typeof createTrainingRun>, recipe: Recipe): number {
  let values = 0;
  for (const p of run.players) for (const v of p.variables) values += v.size;
  const checkpointCopies = 3 * (recipe.divergence?.action === 'rollback' ? 2 : 1);
  return Math.ceil(values * (16 / 3) * (1 + 2 * checkpointCopies)) + 65_536;
}

/** Validates a raw recipe; a config file's name prefixes the error so the user knows where to look. */
function validRecipe(raw: Record<string, unknown>, registry: Registry, source: string | undefined): Recipe {
  try {
    return parseRecipe(raw, registry, 'config');
  } catch (error) {
    if (source === undefined) throw error;
    throw new CliError(`${source}: ${(error as Error).message}`, { cause: error });
  }
}

/** --teacher is only for methods with a `teacher` option (distillation). */
function checkTeacherOption(registry: Registry, method: unknown): void {
  if (typeof method !== 'string' || !registry.has('objective', method)) return;
  const info = registry.list('objective').find((e) => e.id === method);
  const properties = (info?.options as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  if (!('teacher' in properties)) throw new CliError(`--teacher: the objective "${method}" takes no teacher (it has no "teacher" option)`);
}

/** The recipe to train: from the flags and --config, or from the checkpoint being resumed (flags must then agree with it). */
function resolveRecipe(
  registry: Registry,
  inputs: RecipeInputs,
  configPath: string | undefined,
  resume: { path: string; decoded: DecodedCheckpoint } | undefined,
): Recipe {
  if (inputs.teacher !== undefined) checkTeacherOption(registry, inputs.method ?? inputs.config?.method ?? resume?.decoded.recipe.method);
  if (!resume) {
    const raw = recipeFromInputs(inputs, inputs.config);
    if (raw.method === undefined) throw new CliError('--method is required (or a --config recipe with "method"); methods: pfm list --kind objective');
    return validRecipe(raw, registry, configPath);
  }
  const saved = validRecipe(resume.decoded.recipe, registry, `${resume.path}: recipe`);
  const { checkpoint } = resume.decoded;
  if (checkpoint.steps !== saved.steps || checkpoint.seed !== saved.seed || checkpoint.batchSize !== saved.batchSize) {
    throw new CliError(
      `${resume.path}: the checkpoint (steps ${checkpoint.steps}, seed ${checkpoint.seed}, batch size ${checkpoint.batchSize}) does not match its recipe (steps ${saved.steps}, seed ${saved.seed}, batchSize ${saved.batchSize})`,
    );
  }
  if (hasRecipeInputs(inputs)) {
    const mine = validRecipe(recipeFromInputs(inputs, inputs.config ?? resume.decoded.recipe), registry, configPath);
    const d = firstDifference(mine, saved, 'config');
    if (d) {
      throw new CliError(
        `--resume ${resume.path}: this command asks for ${d.path} = ${previewValue(d.left)} but the checkpoint was made with ${previewValue(d.right)}; resume with the same recipe (or give no recipe flags to use the checkpoint's)`,
      );
    }
  }
  return saved;
}

function round(value: number, digits: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}

/** `pfm train`: trains a method on a data file and writes the model file. */
export const trainCommand: CommandSpec = {
  name: 'train',
  summary: 'train a method on a data file and write the model file',
  usage: 'pfm train --data FILE --method ID [--config FILE.json] [flags] --out MODEL.json',
  description:
    'Trains the objective --method (pfm list --kind objective) on the points of --data and writes the model\n' +
    'to --out. --config is the whole training recipe as JSON:\n' +
    '  {"method": ID, "options": {...}, "model": {"hidden": [64, 64, 64], "activation": "selu"},\n' +
    '   "optimizer": {"name": "adamw", "lr": 0.001, "weightDecay": 0.00001}, "steps": N, "batchSize": B, "seed": S}\n' +
    'and the flags override it; every field is validated (errors name the field). Progress goes to stderr,\n' +
    'one line of JSON to stdout at the end. Ctrl-C writes a checkpoint to MODEL.json.ckpt.json and exits\n' +
    '(code 130); the same command with --resume CHECKPOINT continues it, to the same final model bit for bit\n' +
    '(on the same backend); a checkpoint records the data (shape and hash) and refuses other data. A run that\n' +
    'diverges (NaN or Inf) saves the last good parameters and exits 2; with --on-divergence rollback it goes\n' +
    'back to the last snapshot (every 50 steps, or divergence.snapshotEvery) with the learning rate times\n' +
    '--rollback-lr-factor, at most --max-rollbacks times. The output directory is checked for free space first.',
  positionals: [],
  flags: {
    data: { type: 'string', value: 'FILE', description: 'training data: .csv, .json or .npy (required)' },
    method: { type: 'string', value: 'ID', description: 'objective id (or "method" in --config)' },
    config: { type: 'string', value: 'FILE.json', description: 'the training recipe (see above)' },
    steps: { type: 'string', value: 'N', description: 'training steps (default 2000)' },
    'batch-size': { type: 'string', value: 'B', description: 'minibatch size (default 256)' },
    lr: { type: 'string', value: 'X', description: 'learning rate (optimizer.lr, default 0.001)' },
    seed: { type: 'string', value: 'S', description: 'random seed (integer, default 0)' },
    teacher: { type: 'string', value: 'MODEL.json', description: 'teacher model of a distillation method (options.teacher)' },
    'on-divergence': { type: 'string', value: 'ACTION', description: 'on a NaN/Inf loss or gradient: stop (default) or rollback' },
    'max-rollbacks': { type: 'string', value: 'N', description: 'rollbacks allowed before stopping (divergence.maxRollbacks, default 3)' },
    'rollback-lr-factor': { type: 'string', value: 'X', description: 'learning-rate factor per rollback, in (0, 1) (default 0.5)' },
    'checkpoint-every': { type: 'string', value: 'N', description: 'write MODEL.json.ckpt.json every N steps' },
    resume: { type: 'string', value: 'CHECKPOINT', description: 'continue the run saved in this checkpoint' },
    out: { type: 'string', value: 'MODEL.json', description: 'the model file to write (required)' },
    quiet: { type: 'boolean', short: 'q', description: 'no progress on stderr' },
  },
  compute: true,
  examples: [
    'pfm train --data moons.csv --method realnvp --steps 500 --out realnvp.json',
    'pfm train --data moons.csv --config recipe.json --lr 3e-4 --checkpoint-every 1000 --out model.json',
    'pfm train --data moons.csv --config recipe.json --out model.json --resume model.json.ckpt.json',
    'pfm train --data moons.csv --method realnvp --lr 0.01 --on-divergence rollback --max-rollbacks 5 --out realnvp.json',
  ],
  async run({ values, registry, backend, io }) {
    const dataPath = requiredFlag(values, 'data', 'train');
    const out = requiredFlag(values, 'out', 'train');
    const configPath = stringFlag(values, 'config');
    const teacherPath = stringFlag(values, 'teacher');
    const resumePath = stringFlag(values, 'resume');
    const checkpointEvery = integerFlag(stringFlag(values, 'checkpoint-every'), '--checkpoint-every', { min: 1 });
    const inputs: RecipeInputs = {
      method: stringFlag(values, 'method'),
      steps: integerFlag(stringFlag(values, 'steps'), '--steps', { min: 1 }),
      batchSize: integerFlag(stringFlag(values, 'batch-size'), '--batch-size', { min: 1 }),
      lr: positiveNumberFlag(stringFlag(values, 'lr'), '--lr'),
      seed: integerFlag(stringFlag(values, 'seed'), '--seed'),
      onDivergence: divergenceActionFlag(stringFlag(values, 'on-divergence')),
      maxRollbacks: integerFlag(stringFlag(values, 'max-rollbacks'), '--max-rollbacks', { min: 1 }),
      rollbackLrFactor: positiveNumberFlag(stringFlag(values, 'rollback-lr-factor'), '--rollback-lr-factor'),
    };
    if (inputs.rollbackLrFactor !== undefined && inputs.rollbackLrFactor >= 1) {
      throw new CliError(`--rollback-lr-factor must be a number in (0, 1), got "${stringFlag(values, 'rollback-lr-factor')}"`);
    }
    const progress = new ProgressReporter(io, booleanFlag(values, 'quiet'));
    const checkpointPath = checkpointPathFor(out);

    // Everything that can fail fails before training: the output, the recipe, the data.
    await checkWritable(out);
    const stale = await removeStaleTemporaries([out, checkpointPath]);
    if (stale.length > 0) progress.message(`removed ${stale.length} temporary file(s) left by an interrupted run: ${stale.join(', ')}`);
    if (configPath) inputs.config = await readRecipeFile(configPath);
    if (teacherPath) inputs.teacher = await teacherOption(teacherPath);
    const resume = resumePath ? { path: resumePath, decoded: await readCheckpointFile(resumePath) } : undefined;
    try {
      const recipe = resolveRecipe(registry, inputs, configPath, resume);
      const table = await readDataFile(dataPath);
      const data = tf.tensor2d(table.values, [table.rows, table.cols]);
      try {
        const run = createTrainingRun(recipe, data, registry);
        try {
          // A full disk is reported now, not after the training: room for the model and a checkpoint.
          await checkWritable(out, { bytes: bytesNeeded(run, recipe) });
          return await trainAndSave({
            run,
            recipe,
            data,
            registry,
            out,
            checkpointPath,
            checkpointEvery,
            resume: resume?.decoded.checkpoint,
            resumePath,
            progress,
            io,
            backend: backend ?? 'unknown',
            describe: `${recipe.method} on ${dataPath} (${table.rows} points of dim ${table.cols}), ${recipe.steps} steps of batch ${recipe.batchSize}, backend ${backend}`,
          });
        } finally {
          run.dispose?.();
          run.model.dispose();
        }
      } finally {
        data.dispose();
      }
    } finally {
      if (resume) disposeCheckpoint(resume.decoded.checkpoint);
    }
  },
};

async function trainAndSave(args: {
  run: ReturnType<typeof createTrainingRun>;
  recipe: Recipe;
  data: tf.Tensor2D;
  registry: Registry;
  out: string;
  checkpointPath: string;
  checkpointEvery: number | undefined;
  resume: Checkpoint | undefined;
  resumePath: string | undefined;
  progress: ProgressReporter;
  io: { stdout(text: string): void; stderr(text: string): void };
  backend: string;
  describe: string;
}): Promise<number> {
  const { run, recipe, data, registry, out, checkpointPath, checkpointEvery, resume, progress, io } = args;
  const recipeJson = recipe as unknown as Record<string, unknown>;
  const fingerprint = dataFingerprint(data);
  const training = (extra: Record<string, unknown>) => ({
    recipe: withoutTeacher(recipeJson),
    backend: args.backend,
    data: fingerprint,
    ...(resume ? { resumedAtStep: resume.step } : {}),
    ...extra,
  });
  const summary = (status: string, steps: number, extra: Record<string, unknown>) =>
    io.stdout(`${JSON.stringify({ status, method: recipe.method, steps, ...extra, backend: args.backend })}\n`);

  progress.message(resume ? `resuming ${args.describe}, at step ${resume.step}` : `training ${args.describe}`);

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      progress.message(`${signal} again: quitting without a checkpoint`, true);
      process.exit(EXIT_CODES.interrupted);
    }
    progress.message(`${signal}: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)`, true);
    controller.abort();
  };
  let lastWritten = -1;
  let rollbacks = resume?.rollbacks ?? 0;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: TrainResult;
  try {
    result = await train(run, data, {
      steps: recipe.steps,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      optimizer: recipe.optimizer,
      progressEvery: 1,
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
      checkpointEvery: checkpointCadence(recipe.steps, checkpointEvery),
      onCheckpoint: async (checkpoint) => {
        await yieldToEventLoop();
        const wanted = controller.signal.aborted || (checkpointEvery !== undefined && checkpoint.step % checkpointEvery === 0);
        if (!wanted || checkpoint.step === lastWritten) return;
        await writeCheckpointFile(checkpointPath, checkpoint, recipeJson);
        lastWritten = checkpoint.step;
      },
      ...(recipe.divergence ? { divergence: recipe.divergence } : {}),
      onRollback: (event) => {
        rollbacks = event.rollbacks;
        progress.message(
          `step ${event.fromStep}: diverged; rolled back to step ${event.toStep} with the learning rate times ${event.lrScale} (rollback ${event.rollbacks} of ${recipe.divergence?.maxRollbacks ?? 3})`,
          true,
        );
      },
      onWarning: (message) => progress.message(`warning: ${message}`, true),
      ...(resume ? { resume } : {}),
    });
  } catch (error) {
    if (resume && error instanceof RangeError && error.message.startsWith('resume: ')) {
      throw new CliError(`--resume ${args.resumePath}: ${error.message.slice('resume: '.length)}`, { cause: error });
    }
    if (!(error instanceof TrainingDivergedError)) throw error;
    progress.clear();
    await saveModel(out, run.model, registry, { training: training({ status: 'diverged', steps: error.completedSteps, ...(rollbacks > 0 ? { rollbacks } : {}) }) });
    summary('diverged', error.completedSteps, { model: out });
    throw new CliError(`${error.message}; saved them to ${out}`, { cause: error });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.clear();

  if (result.status === 'aborted') {
    if (lastWritten !== result.steps) throw new CliError(`interrupted at step ${result.steps}, but no checkpoint was written`);
    progress.message(
      `interrupted at step ${result.steps} of ${recipe.steps}; checkpoint written to ${checkpointPath}: run the same command with --resume ${checkpointPath} to continue`,
      true,
    );
    summary('interrupted', result.steps, { seconds: round(result.seconds, 4), checkpoint: checkpointPath });
    return EXIT_CODES.interrupted;
  }

  await saveModel(out, run.model, registry, {
    training: training({
      status: 'completed',
      steps: result.steps,
      finalLoss: result.finalLoss,
      seconds: result.seconds,
      ...(result.rollbacks > 0 ? { rollbacks: result.rollbacks, lrScale: result.lrScale } : {}),
    }),
  });
  summary('completed', result.steps, {
    seconds: round(result.seconds, 4),
    stepsPerSecond: round(result.stepsPerSecond, 2),
    finalLoss: Number.isFinite(result.finalLoss) ? result.finalLoss : null,
    ...(result.rollbacks > 0 ? { rollbacks: result.rollbacks } : {}),
    model: out,
  });
  return EXIT_CODES.ok;
}
