import { z } from 'zod';
import { defineObjective, type DiscrepancyEntry, IMAGE_GENERATOR_DEFAULTS, onImages } from '@pfm/core';
import { loadStatisticsMatching, statisticsMatchingRun, statisticsMatchingShape } from './statistics-matching.js';

/**
 * `statistics-matching` with its loss fixed to the discrepancy `loss` (optax-style: the preset
 * only fixes the id). The preset's `loss` option is that discrepancy's own options, so its schema
 * (and the JSON schema `pfm list` shows) lists their fields, and model files keep the shape
 * `{ …, loss: { …discrepancy options } }` under the preset's id.
 *
 * @example statisticsMatchingPreset({ id: 'mmd', description: '…', loss: mmdEntry })
 */
export function statisticsMatchingPreset<S extends z.ZodType<object>>(preset: {
  id: string;
  description: string;
  /** The discrepancy entry whose id and schema the preset takes. */
  loss: DiscrepancyEntry & { schema: S };
}) {
  const schema = z.strictObject({
    ...statisticsMatchingShape,
    /** Options of the discrepancy `preset.loss.id` (defaults filled in). */
    loss: preset.loss.schema.prefault({} as z.input<S>),
  });
  return defineObjective({
    id: preset.id,
    description: preset.description,
    schema,
    recipeDefaults: onImages(IMAGE_GENERATOR_DEFAULTS),
    create: (options, ctx) => statisticsMatchingRun(preset.id, options, { id: preset.loss.id, options: options.loss }, ctx),
    load: (parts) => loadStatisticsMatching(preset.id, parts),
  });
}
