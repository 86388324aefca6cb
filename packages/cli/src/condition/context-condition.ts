// The context of `pfm sample --context` and `pfm logprob --context` checked against the model:
// a model trained with `pfm train --context` is conditioned on c ∈ R^m and needs one vector per
// sample (or one for all); any other model refuses a context.
import type { Model } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import type { ContextRows } from './read-context-file.js';

/**
 * Throws a CliError (exit 2, one line) when `context` (read from `path`) does not fit `model`:
 * given to an unconditional or a class-conditional model, of another dimension than the model's,
 * or missing for a context-conditional model. `rows` is the number of points the context must
 * cover: the file holds `rows` vectors, or one when `single` allows it (the same vector for all).
 */
export function checkContext(
  model: Model,
  context: ContextRows | undefined,
  at: { flag: string; path: string | undefined; modelPath: string; rows: number; rowsWhat: string; single: boolean },
): void {
  const spec = model.condition;
  const { flag, path, modelPath } = at;
  if (context === undefined) {
    if (spec?.kind === 'context') throw new CliError(`${modelPath} is conditioned on context vectors of dimension ${spec.dim}: give ${flag} FILE (${at.rowsWhat})`);
    return;
  }
  if (spec === undefined) throw new CliError(`${flag} ${path}: ${modelPath} is an unconditional model (trained without --labels or --context)`);
  if (spec.kind === 'class') throw new CliError(`${flag} ${path}: ${modelPath} is conditioned on class labels 0…${spec.classes - 1}, not on a context vector; give the classes (--class K or --labels FILE)`);
  if (context.dim !== spec.dim) throw new CliError(`${flag} ${path}: has ${context.dim} column(s), expected context vectors of dimension ${spec.dim} (those ${modelPath} was trained on)`);
  if (context.rows !== at.rows && !(at.single && context.rows === 1)) {
    throw new CliError(`${flag} ${path}: has ${context.rows} row(s), expected ${at.rows} (${at.rowsWhat})${at.single ? ' or one for all' : ''}`);
  }
}
