// The proportional–integral (PI) step-size controller (Gustafsson 1991; Hairer & Wanner II, IV.2,
// eq. 2.43c): after an accepted step
//   h_new = h · clamp(safety · err_n^(−α/k) · err_{n−1}^(β/k), minFactor, maxFactor),  k = q + 1,
// with α = 0.7, β = 0.4 by default; after a rejection it falls back to the I rule.
import { z } from 'zod';
import type { StepSizeController } from '../contracts/integrator.js';
import { controllerOptions, controllerOptionsShape, type ControllerOptions } from './controller-options.js';

/** Options of {@link piController}: the shared bounds and the gains α, β. */
export interface PiControllerOptions extends ControllerOptions {
  /** Integral gain α (default 0.7). */
  alpha?: number;
  /** Proportional gain β (default 0.4). */
  beta?: number;
}

/** The registry schema of {@link piController}'s options (`pi` controller entry). */
export const piControllerOptionsSchema = z
  .object({
    ...controllerOptionsShape,
    /** Integral gain α, > 0. */
    alpha: z.number().gt(0).default(0.7),
    /** Proportional gain β, in [0, α). */
    beta: z.number().min(0).default(0.4),
  })
  .strict()
  .refine((o) => o.beta < o.alpha, { message: 'beta must be smaller than alpha', path: ['beta'] });

/** A PI controller: smoother step sequences than the I controller on non-stiff problems. */
export function piController(options: PiControllerOptions = {}): StepSizeController {
  const { safety, minFactor, maxFactor } = controllerOptions('piController', options);
  const alpha = options.alpha ?? 0.7;
  const beta = options.beta ?? 0.4;
  if (!(alpha > 0)) throw new RangeError(`piController: "alpha" must be positive, got ${alpha}`);
  if (!(beta >= 0 && beta < alpha)) throw new RangeError(`piController: "beta" must be in [0, alpha), got ${beta}`);
  return {
    name: 'pi',
    init: () => ({ previousError: 1 }),
    propose(state, error, errorOrder) {
      if (!Number.isFinite(error)) return { accept: false, factor: minFactor, state };
      const k = errorOrder + 1;
      const accept = error <= 1;
      let raw: number;
      if (error === 0) raw = maxFactor;
      else if (accept) raw = safety * Math.pow(error, -alpha / k) * Math.pow(state.previousError, beta / k);
      else raw = safety * Math.pow(error, -1 / k);
      const factor = Math.min(accept ? maxFactor : 1, Math.max(minFactor, raw));
      return { accept, factor, state: accept ? { previousError: Math.max(error, 1e-4) } : state };
    },
  };
}
