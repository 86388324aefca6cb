import { defineDiscrepancy } from '@pfm/core';
import { energyDistance, energyDistanceSchema } from './energy-distance.js';

/** Registry entry `energy`: the energy distance. */
export const energyEntry = defineDiscrepancy({
  id: 'energy',
  description: 'Energy distance 2E‖X − Y‖^β − E‖X − X′‖^β − E‖Y − Y′‖^β, unbiased by default, tiled',
  schema: energyDistanceSchema,
  create: (options) => (x, y) => energyDistance(x, y, options),
});
