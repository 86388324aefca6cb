import { z } from 'zod';
import { defineDiscrepancy } from '@pfm/core';
import { pairwiseShape } from '../plugin/schema-parts.js';
import { energyDistance } from './energy-distance.js';

/** Options of the `energy` discrepancy (and of {@link energyDistance}). */
export const energySchema = z.strictObject({
  exponent: z.number().gt(0).lt(2).default(1),
  ...pairwiseShape,
});

/** Registry entry `energy`: the energy distance. */
export const energyEntry = defineDiscrepancy({
  id: 'energy',
  description: 'Energy distance 2E‖X − Y‖^β − E‖X − X′‖^β − E‖Y − Y′‖^β, unbiased by default, tiled',
  schema: energySchema,
  create: (options) => (x, y) => energyDistance(x, y, options),
});
