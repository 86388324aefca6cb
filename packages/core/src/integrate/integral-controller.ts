// The integral (I) step-size controller (Hairer, Nørsett & Wanner I, II.4, eq. 4.13):
//   h_new = h · clamp(safety · err^(−1/(q+1)), minFactor, maxFactor),  accept iff err ≤ 1,
// with err the scaled RMS norm of the embedded error estimate of order q.
import { z } from 'zod';
import type { StepSizeController } from '../contracts/integrator.js';
import { controllerOptions, controllerOptionsShape, type ControllerOptions } from './controller-options.js';

/** The registry schema of {@link integralController}'s options (`integral` controller entry). */
export const integralControllerOptionsSchema = z.object(controllerOptionsShape).strict();

/** The classical I controller. */
export function integralController(options: ControllerOptions = {}): StepSizeController {
  const { safety, minFactor, maxFactor } = controllerOptions('integralController', options);
  return {
    name: 'integral',
    init: () => ({ previousError: 1 }),
    propose(state, error, errorOrder) {
      if (!Number.isFinite(error)) return { accept: false, factor: minFactor, state };
      const accept = error <= 1;
      const raw = error === 0 ? maxFactor : safety * Math.pow(error, -1 / (errorOrder + 1));
      const factor = Math.min(accept ? maxFactor : 1, Math.max(minFactor, raw));
      return { accept, factor, state: accept ? { previousError: Math.max(error, 1e-4) } : state };
    },
  };
}
