import type { SdeSolver as CoreSdeSolver } from '@pfm/core';

/** An SDE solver of this package: core's SdeSolver (Brownian increments can be supplied) with a declared id and cost. */
export interface SdeSolver extends CoreSdeSolver {
  /** Registry id (`euler-maruyama`, `stochastic-heun`, …). */
  readonly id: string;
  /** Drift evaluations of one step. */
  readonly nfePerStep: number;
}
