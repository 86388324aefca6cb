// The bounds every step-size controller shares: h_new = h · clamp(safety · (optimal factor),
// minFactor, maxFactor) (Hairer, Nørsett & Wanner I, II.4, eq. 4.13).
import { z } from 'zod';

/** Options shared by the controllers. */
export interface ControllerOptions {
  /** Safety factor applied to the optimal step (default 0.9). */
  safety?: number;
  /** Smallest factor per step (default 0.2). */
  minFactor?: number;
  /** Largest factor per step (default 10). */
  maxFactor?: number;
}

/** The registry schema of {@link ControllerOptions} (defaults filled in). */
export const controllerOptionsShape = {
  /** Safety factor applied to the optimal step, in (0, 1]. */
  safety: z.number().gt(0).lte(1).default(0.9),
  /** Smallest factor per step, in (0, 1). */
  minFactor: z.number().gt(0).lt(1).default(0.2),
  /** Largest factor per step, finite and > 1. */
  maxFactor: z.number().gt(1).default(10),
};

/** Validates controller options and fills in the defaults; names the bad field. */
export function controllerOptions(where: string, options: ControllerOptions): Required<ControllerOptions> {
  const safety = options.safety ?? 0.9;
  const minFactor = options.minFactor ?? 0.2;
  const maxFactor = options.maxFactor ?? 10;
  if (!(safety > 0 && safety <= 1)) throw new RangeError(`${where}: "safety" must be in (0, 1], got ${safety}`);
  if (!(minFactor > 0 && minFactor < 1)) throw new RangeError(`${where}: "minFactor" must be in (0, 1), got ${minFactor}`);
  if (!(maxFactor > 1 && Number.isFinite(maxFactor))) throw new RangeError(`${where}: "maxFactor" must be a finite number > 1, got ${maxFactor}`);
  return { safety, minFactor, maxFactor };
}
