import { describe, expect, it } from 'vitest';
import { checkIntegratorOrder, measureIntegratorOrder } from '@pfm/core/testing';
import type { FlowSolver } from './flow-solver.js';
import { euler } from './euler.js';
import { midpoint } from './midpoint.js';
import { heun } from './heun.js';
import { rk4 } from './rk4.js';
import { dopri5 } from './dopri5.js';

// Step counts keep the global error between ~1e-1 and ~1e-6, above float32 round-off (~1e-7),
// where the log-log slope is the order (diffrax's table-driven order test). dopri5 reaches the
// round-off floor after 5 steps, so its steps are still slightly pre-asymptotic (slope ≈ 5.45);
// its tolerance is 0.5, which still rejects an order-4 or order-6 method.
const table: [string, () => FlowSolver, number, number[], number][] = [
  ['euler', euler, 1, [16, 32, 64, 128], 0.35],
  ['midpoint', midpoint, 2, [8, 16, 32, 64], 0.35],
  ['heun', heun, 2, [8, 16, 32, 64], 0.35],
  ['rk4', rk4, 4, [2, 4, 8, 16], 0.35],
  ['dopri5', dopri5, 5, [2, 3, 4, 5], 0.5],
];

describe('ODE solvers: empirical order on a linear problem with a closed-form solution', () => {
  it.each(table)('%s has its declared order', (name, make, order, steps, tolerance) => {
    const solver = make();
    expect(solver.order).toBe(order);
    const result = checkIntegratorOrder(solver, { steps, name, tolerance });
    expect(Math.abs(result.slope - order)).toBeLessThan(tolerance);
  });

  it('the order test can fail: euler declared as order 2 is rejected', () => {
    const liar = { ...euler(), order: 2 };
    expect(() => checkIntegratorOrder(liar, { steps: [16, 32, 64, 128], name: 'liar' })).toThrow(/declared order 2, measured 1\.0/);
    expect(measureIntegratorOrder(liar, { steps: [16, 32, 64] }).slope).toBeLessThan(1.3);
  });
});
