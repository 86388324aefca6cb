/** What a controller keeps between steps (optax-style explicit state). */
export interface ControllerState {
  /** Scaled error norm of the last accepted step (1 before the first). */
  previousError: number;
}

/** A controller's verdict on one step: accept it or not, and the factor for the next step size. */
export interface ControllerDecision {
  accept: boolean;
  factor: number;
  state: ControllerState;
}

/**
 * A step-size policy, separate from the solver (diffrax's shape). `error` is the scaled RMS norm
 * of the local error estimate (≤ 1 means within rtol/atol); `errorOrder` is the order q of the
 * embedded solution, so the error behaves like h^(q+1).
 */
export interface StepSizeController {
  readonly name: string;
  init(): ControllerState;
  propose(state: ControllerState, error: number, errorOrder: number): ControllerDecision;
}

/** Options shared by the controllers. */
export interface ControllerOptions {
  /** Safety factor applied to the optimal step (default 0.9). */
  safety?: number;
  /** Smallest factor per step (default 0.2). */
  minFactor?: number;
  /** Largest factor per step (default 10). */
  maxFactor?: number;
}

/** Validates controller options; names the bad field. */
export function controllerOptions(where: string, options: ControllerOptions): Required<ControllerOptions> {
  const safety = options.safety ?? 0.9;
  const minFactor = options.minFactor ?? 0.2;
  const maxFactor = options.maxFactor ?? 10;
  if (!(safety > 0 && safety <= 1)) throw new RangeError(`${where}: "safety" must be in (0, 1], got ${safety}`);
  if (!(minFactor > 0 && minFactor < 1)) throw new RangeError(`${where}: "minFactor" must be in (0, 1), got ${minFactor}`);
  if (!(maxFactor > 1 && Number.isFinite(maxFactor))) throw new RangeError(`${where}: "maxFactor" must be a finite number > 1, got ${maxFactor}`);
  return { safety, minFactor, maxFactor };
}
