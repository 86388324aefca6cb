// The bad-input cases of conditional sampling, found before anything is drawn or written: a class
// on an unconditional model, no class for a conditional one, a label outside 0…K − 1, guidance on a
// model trained without condition dropout or on a one-step map distilled at a fixed guidance.
import { conditionRows, type Model, type SampleOptions } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';

/**
 * Throws a CliError (exit 2, one line) naming the flag and the value when the flags do not fit
 * `model`. `rows` is the number of samples: an array condition holds one label per sample (or one
 * for all), or, for a context model, `rows` × m values (or one vector of m for all).
 */
export function checkConditionFlags(model: Model, options: SampleOptions, modelPath: string, rows: number): void {
  const spec = model.condition;
  if (spec === undefined) {
    if (options.condition !== undefined) throw new CliError(`--class/--labels: ${modelPath} is an unconditional model (trained without --labels)`);
    if (options.guidance !== undefined) throw new CliError(`--guidance: ${modelPath} is an unconditional model (guidance needs one trained with --labels and --condition-dropout)`);
    return;
  }
  if (options.condition === undefined) {
    throw new CliError(`${modelPath} is conditioned on ${spec.kind === 'class' ? `class labels 0…${spec.classes - 1}` : `context vectors of dimension ${spec.dim}`}: give --class K or --labels FILE`);
  }
  const flag = spec.kind === 'context' ? '--context' : typeof options.condition === 'number' ? '--class' : '--labels';
  try {
    conditionRows(spec, options.condition, rows, flag).dispose();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (options.guidance !== undefined && options.guidance !== 1) {
    const { conditionDropout: dropout, teacherGuidance } = model.options as { conditionDropout?: unknown; teacherGuidance?: unknown };
    if (model.method === 'distill') {
      const at = typeof teacherGuidance === 'number' ? teacherGuidance : 1;
      throw new CliError(`--guidance ${options.guidance}: ${modelPath} is a one-step map distilled at guidance ${at}, which it keeps (distill again with options.teacherGuidance for another scale)`);
    }
    if (typeof dropout !== 'number' || dropout <= 0) {
      throw new CliError(`--guidance ${options.guidance}: ${modelPath} was trained without condition dropout, so only guidance 1 is defined (train with --condition-dropout P)`);
    }
  }
}
