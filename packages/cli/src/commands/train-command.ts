import * as tf from '@tensorflow/tfjs-core';
import { trainingLabels } from '../train/training-labels.js';
import { readContextFile } from '../condition/read-context-file.js';
import { createTrainingRun, dataFingerprint, disposeCheckpoint, planMemory, type ConditionSpec, type Recipe, type Registry, type TrainResult } from '@pfm/core';
import { checkWritable } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CliIo } from '../cli/cli-io.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { trainSpec } from './train-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { stringFlag } from '../cli/flag-values.js';
import { formatMemorySize, memorySizeFlag } from '../cli/memory-size-flag.js';
import { warnDegenerateData } from '../cli/warn-degenerate-data.js';
import { checkMemoryPlan, describeMemoryPlan } from '../train/check-memory-plan.js';
import { checkRecipeBeforeData } from '../train/check-recipe-before-data.js';
import { checkpointPathFor, readCheckpointFile } from '../train/checkpoint-store.js';
import { checkpointTimer } from '../train/checkpoint-timer.js';
import { diskSpaceNeeded } from '../train/disk-space-needed.js';
import { loadTrainingData } from '../train/load-training-data.js';
import { ProgressReporter } from '../train/progress-reporter.js';
import type { ProgressSink } from '../train/progress-sink.js';
import { stopSignalExitCode } from '../cli/stop-signal.js';
import { readRecipeFile } from '../train/read-recipe-file.js';
import { resolveRecipe } from '../train/resolve-recipe.js';
import { runTraining, type CheckpointPolicy, type TrainingOutcome } from '../train/run-training.js';
import { printSummary, saveTrainedModel, type RunRecord } from '../train/save-trained-model.js';
import { removeStaleTemporaries } from '../train/stale-temporaries.js';
import { teacherOption } from '../train/teacher-option.js';
import { readTrainFlags } from '../train/train-flags.js';

function round(value: number, digits: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}

/** `pfm train`: trains a method on a data file and writes the model file. */
export const trainCommand: CommandSpec = {
  ...trainSpec,
  outputs(values) {
    const out = stringFlag(values, 'out');
    return out === undefined ? [] : [out, checkpointPathFor(out)];
  },
  async run({ values, registry, backend, io, verbose, host }) {
    const flags = readTrainFlags(values);
    const maxMemory = memorySizeFlag(stringFlag(values, 'max-memory'), '--max-memory');
    // Off the main thread, the main thread draws the progress line (and says what a signal does).
    const progress: ProgressSink = host?.progress(flags.quiet) ?? new ProgressReporter(io, flags.quiet);
    const checkpoints: CheckpointPolicy = {
      path: checkpointPathFor(flags.out),
      every: flags.checkpointEvery,
      timer: checkpointTimer(flags.checkpointMinutes),
    };

    // Everything that can fail fails before training: the output, the recipe, the data.
    await checkWritable(flags.out);
    const stale = await removeStaleTemporaries([flags.out, checkpoints.path]);
    if (stale.length > 0) progress.message(`removed ${stale.length} temporary file(s) left by an interrupted run: ${stale.join(', ')}`);
    if (flags.configPath) flags.inputs.config = await readRecipeFile(flags.configPath);
    if (flags.teacherPath) flags.inputs.teacher = await teacherOption(flags.teacherPath);
    const resume = flags.resumePath ? { path: flags.resumePath, decoded: await readCheckpointFile(flags.resumePath) } : undefined;
    try {
      // A recipe wrong whatever the data fails before a large data file is read.
      checkRecipeBeforeData({ registry, inputs: flags.inputs, configPath: flags.configPath, resume });
      const { data, rows, cols, eventShape } = await loadTrainingData(flags.dataPath, registry);
      const labels = flags.labelsPath !== undefined ? await trainingLabels(flags.labelsPath, flags.dataPath, rows, registry).catch((e: unknown) => { data.dispose(); throw e; }) : undefined;
      const context =
        flags.contextPath !== undefined
          ? await readContextFile(flags.contextPath, '--context', { rows, rowsWhat: `one per data row of ${flags.dataPath}` }).catch((e: unknown) => {
              data.dispose();
              throw e;
            })
          : undefined;
      const conditionRows = labels ? tf.tensor1d(labels, 'int32') : context ? tf.tensor2d(context.values, [context.rows, context.dim]) : undefined;
      try {
        // The data come first: an objective may suggest other defaults for images.
        const dataInfo = { dim: cols, ...(eventShape !== undefined ? { eventShape } : {}) };
        const recipe = resolveRecipe({ registry, inputs: flags.inputs, configPath: flags.configPath, resume, data: dataInfo });
        if (flags.conditionDropout !== undefined) {
          recipe.options = registry.parseOptions('objective', recipe.method, { ...recipe.options, conditionDropout: flags.conditionDropout }, '--condition-dropout');
        }
        warnDegenerateData(io, 'pfm train', data.dataSync(), rows, cols, { name: flags.dataPath, batchSize: recipe.batchSize, images: eventShape !== undefined });
        const spec: ConditionSpec | undefined = labels
          ? { kind: 'class', classes: Math.max(2, labels.reduce((a, b) => Math.max(a, b), 0) + 1) }
          : context
            ? { kind: 'context', dim: context.dim }
            : undefined;
        const condition = spec && conditionRows ? { spec, rows: conditionRows } : undefined;
        const run = createTrainingRun(recipe, data, registry, { ...(eventShape !== undefined ? { eventShape } : {}), ...(condition ? { condition } : {}) });
        try {
          // A full disk is reported now, not after the training: room for the model and a checkpoint.
          await checkWritable(flags.out, { bytes: diskSpaceNeeded(run, recipe) });
          // A run that cannot fit is refused now, not after minutes of swapping or a wasm abort.
          // Building the run made no set-up pass (a flow's data-dependent initialisation): the
          // trainer makes it, after this check, so a set-up that cannot fit never starts.
          // A loss that cannot run outside the trainer's loop (it needs its beforeStep hook, say)
          // gives no plan: the run goes on without one and --verbose says why.
          const plan = await planMemory(run, data, { batchSize: recipe.batchSize, ema: recipe.ema !== undefined, ...(conditionRows ? { condition: conditionRows } : {}) }).catch((error: unknown) => {
            if (verbose) progress.message(`memory plan: not available (${(error as Error).message})`, true);
            return undefined;
          });
          if (plan) {
            if (verbose) progress.message(describeMemoryPlan(plan, recipe.batchSize), true);
            checkMemoryPlan(plan, recipe.batchSize, { ...(maxMemory !== undefined ? { maxMemory } : {}), ...(backend !== undefined ? { backend } : {}) });
          }
          const record: RunRecord = {
            recipe,
            backend: backend ?? 'unknown',
            data: dataFingerprint(data),
            resumedAtStep: resume?.decoded.checkpoint.step,
            ...(eventShape !== undefined ? { eventShape } : {}),
          };
          const points = eventShape !== undefined ? `${rows} images of ${eventShape.join('×')}` : `${rows} points of dim ${cols}`;
          const describe = `${recipe.method} on ${flags.dataPath} (${points}), ${recipe.steps} steps of batch ${recipe.batchSize}, backend ${backend}${plan ? `, about ${formatMemorySize(plan.totalBytes)} of memory` : ''}`;
          progress.message(resume ? `resuming ${describe}, at step ${resume.decoded.checkpoint.step}` : `training ${describe}`);
          if (flags.checkpointMinutes > 0) progress.message(`a checkpoint every ${flags.checkpointMinutes} min goes to ${checkpoints.path}`);
          const outcome = await runTraining({
            run,
            recipe,
            registry,
            data,
            checkpoints,
            resume: resume ? { path: resume.path, checkpoint: resume.decoded.checkpoint } : undefined,
            progress,
            ...(host ? { channel: host.trainingChannel() } : {}),
            ...(backend !== undefined ? { backend } : {}),
            ...(conditionRows ? { condition: conditionRows } : {}),
            ...(flags.timeLimitMinutes !== undefined ? { timeLimitMinutes: flags.timeLimitMinutes } : {}),
          });
          progress.clear();
          return await finishRun(outcome, { model: run.model, registry, out: flags.out, checkpointPath: checkpoints.path, record, progress, io });
        } finally {
          run.dispose?.();
          run.model.dispose();
        }
      } finally {
        data.dispose();
        conditionRows?.dispose();
      }
    } finally {
      if (resume) disposeCheckpoint(resume.decoded.checkpoint);
    }
  },
};

/** What `finishRun` saves and reports to. */
interface RunEnd {
  model: ReturnType<typeof createTrainingRun>['model'];
  registry: Registry;
  out: string;
  checkpointPath: string;
  record: RunRecord;
  progress: ProgressSink;
  io: Pick<CliIo, 'stdout'>;
}

/** Saves a model that trained to its last step or to the time limit, and prints the summary line (with `extra` fields). */
async function saveFinished(status: 'completed' | 'time-limit', result: TrainResult, end: RunEnd, extra: Record<string, unknown> = {}): Promise<void> {
  const { model, registry, out, record, io } = end;
  const rolledBack = result.rollbacks > 0;
  await saveTrainedModel(out, model, registry, record, {
    status,
    steps: result.steps,
    finalLoss: result.finalLoss,
    seconds: result.seconds,
    ...(rolledBack ? { rollbacks: result.rollbacks, lrScale: result.lrScale } : {}),
  });
  printSummary(io, record, status, result.steps, {
    seconds: round(result.seconds, 4),
    stepsPerSecond: round(result.stepsPerSecond, 2),
    finalLoss: Number.isFinite(result.finalLoss) ? result.finalLoss : null,
    ...(rolledBack ? { rollbacks: result.rollbacks } : {}),
    model: out,
    ...extra,
  });
}

/**
 * Saves the model (completed, or the last good parameters of a diverged run, which is then an
 * error) and prints the summary; an interrupted run points to its checkpoint. Returns the exit code.
 */
async function finishRun(outcome: TrainingOutcome, end: RunEnd): Promise<number> {
  const { model, registry, out, checkpointPath, record, progress, io } = end;
  const recipe: Recipe = record.recipe;
  if (outcome.status === 'diverged') {
    const { error, rollbacks } = outcome;
    await saveTrainedModel(out, model, registry, record, { status: 'diverged', steps: error.completedSteps, ...(rollbacks > 0 ? { rollbacks } : {}) });
    printSummary(io, record, 'diverged', error.completedSteps, { model: out });
    throw new CliError(`${error.message}; saved them to ${out}`, { cause: error });
  }
  const { result } = outcome;
  if (result.status === 'aborted' && outcome.stoppedBy === 'time-limit') {
    if (outcome.lastCheckpointStep !== result.steps) throw new CliError(`stopped by the time limit at step ${result.steps}, but no checkpoint was written`);
    await saveFinished('time-limit', result, end, { checkpoint: checkpointPath });
    progress.message(
      `time limit: stopped at step ${result.steps} of ${recipe.steps}; model written to ${out}, checkpoint to ${checkpointPath} (--resume ${checkpointPath} continues it)`,
      true,
    );
    return EXIT_CODES.ok;
  }
  if (result.status === 'aborted') {
    if (outcome.lastCheckpointStep !== result.steps) throw new CliError(`interrupted at step ${result.steps}, but no checkpoint was written`);
    progress.message(
      `interrupted at step ${result.steps} of ${recipe.steps}; checkpoint written to ${checkpointPath}: run the same command with --resume ${checkpointPath} to continue`,
      true,
    );
    printSummary(io, record, 'interrupted', result.steps, { seconds: round(result.seconds, 4), checkpoint: checkpointPath });
    return stopSignalExitCode(outcome.signal ?? 'SIGINT');
  }
  await saveFinished('completed', result, end);
  return EXIT_CODES.ok;
}
