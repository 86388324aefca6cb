import type { Solver } from '@pfm/core';

/**
 * A Solver of this package: the core contract (order, error order, first-same-as-last reuse)
 * with the registry id and the per-step cost always declared.
 */
export interface FlowSolver extends Solver {
  /** Registry id (`euler`, `rk4`, `dopri5`, …). */
  readonly id: string;
  /** Drift evaluations of one step (without first-same-as-last savings). */
  readonly nfePerStep: number;
}
