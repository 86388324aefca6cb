import { z } from 'zod';
import type { DiscrepancyEntry } from '@pfm/core';
import { estimatorSchema, tileSizeSchema } from '../plugin/schema-parts.js';
import { energyDistance } from './energy-distance.js';

const schema = z.strictObject({
  exponent: z.number().gt(0).lt(2).default(1),
  estimator: estimatorSchema.default('unbiased'),
  tileSize: tileSizeSchema,
  /** Fused host loop (default on cpu and wasm) or composed tfjs ops (false). */
  fused: z.boolean().optional(),
});

/** Registry entry `energy`: the energy distance. */
export const energyEntry: DiscrepancyEntry<z.output<typeof schema>> = {
  kind: 'discrepancy',
  id: 'energy',
  description: 'Energy distance 2E‖X − Y‖^β − E‖X − X′‖^β − E‖Y − Y′‖^β, unbiased by default, tiled',
  schema,
  create: (options) => (x, y) => energyDistance(x, y, options),
};
