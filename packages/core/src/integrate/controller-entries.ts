import type { ControllerEntry } from '../registry/entries.js';
import { defineController } from '../registry/define-entries.js';
import { integralController, integralControllerOptionsSchema } from './integral-controller.js';
import { piController, piControllerOptionsSchema } from './pi-controller.js';

/**
 * The step-size controllers as `controller` registry entries: `pi` (the default of adaptive
 * solves) and `integral`. A plugin that samples with adaptive steps registers them (@pfm/flows does).
 */
export const controllerEntries: ControllerEntry[] = [
  defineController({
    id: 'pi',
    description: 'Proportional–integral step-size controller (Gustafsson 1991): gains alpha, beta; safety and factor bounds',
    schema: piControllerOptionsSchema,
    create: (options) => piController(options),
  }),
  defineController({
    id: 'integral',
    description: 'Integral (I) step-size controller (Hairer, Nørsett & Wanner I, II.4): safety and factor bounds',
    schema: integralControllerOptionsSchema,
    create: (options) => integralController(options),
  }),
];
