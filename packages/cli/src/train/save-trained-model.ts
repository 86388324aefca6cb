import type { dataFingerprint, Model, Recipe, Registry } from '@pfm/core';
import { saveModel } from '@pfm/core/node';
import type { CliIo } from '../cli/cli-io.js';
import { withoutTeacher } from './teacher-option.js';

/** What a model file and the summary line record about the run that made the model. */
export interface RunRecord {
  recipe: Recipe;
  backend: string;
  /** The training data's shape and hash (`dataFingerprint`). */
  data: ReturnType<typeof dataFingerprint>;
  /** The step the run resumed from, when it did. */
  resumedAtStep: number | undefined;
  /** The shape of one data point when the data are images (`[h, w, c]`), recorded in the model file. */
  eventShape?: readonly number[];
}

/**
 * Writes `model` to `out` with `training`: the recipe (without a distillation teacher), the
 * backend, the data's fingerprint, the resumed step, then `fields` (status, steps, loss, …); and
 * the data's `eventShape`, when they are images.
 */
export async function saveTrainedModel(
  out: string,
  model: Model,
  registry: Registry,
  record: RunRecord,
  fields: Record<string, unknown>,
): Promise<void> {
  const training = {
    recipe: withoutTeacher(record.recipe as unknown as Record<string, unknown>),
    backend: record.backend,
    data: record.data,
    ...(record.resumedAtStep !== undefined ? { resumedAtStep: record.resumedAtStep } : {}),
    ...fields,
  };
  await saveModel(out, model, registry, { training, ...(record.eventShape !== undefined ? { eventShape: record.eventShape } : {}) });
}

/** The one JSON line `pfm train` prints on stdout at the end. */
export function printSummary(io: Pick<CliIo, 'stdout'>, record: RunRecord, status: string, steps: number, fields: Record<string, unknown>): void {
  io.stdout(`${JSON.stringify({ status, method: record.recipe.method, steps, ...fields, backend: record.backend })}\n`);
}
