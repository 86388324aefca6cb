import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRegistry, defineIntegrator, definePlugin } from '@pfm/core';
import { checkIntegratorConformance, checkIntegratorOrder, measureIntegratorOrder } from '@pfm/core/testing';
import { testRegistry } from '../test-support/registry.js';
import { euler } from './euler.js';
import { heun } from './heun.js';

// Every registered integrator is held to what it declares: ODE solvers their global order (the
// log-log slope of the error at t = 1 of a damped rotation), SDE solvers their strong order on
// geometric Brownian motion over 2000 paths of one Brownian path (seed 11), and solvers with an
// embedded error estimate its order. Step counts and tolerances follow the declared order (the
// table of defaultOrderSteps: dopri5's 2–5 steps with tolerance 0.5, 0.35 below order 5; 0.2 for
// the strong order).
const registry = testRegistry();
const declared: Record<string, { order: number; errorOrder?: number }> = {
  euler: { order: 1 },
  midpoint: { order: 2 },
  heun: { order: 2, errorOrder: 1 },
  rk4: { order: 4 },
  dopri5: { order: 5, errorOrder: 4 },
  'euler-maruyama': { order: 0.5 },
  'stochastic-heun': { order: 1 },
};

describe('integrator conformance over registry.list("integrator")', () => {
  const ids = registry.list('integrator').map((entry) => entry.id);

  it('lists every integrator of the plugin', () => {
    expect(ids).toEqual(Object.keys(declared).sort());
  });

  it.each(ids)('%s has its declared order (and error-estimate order)', (id) => {
    const before = tf.memory().numTensors;
    const report = checkIntegratorConformance(registry, id);
    expect(tf.memory().numTensors).toBe(before);
    const solver = registry.get('integrator', id).create({});
    expect(solver.order).toBe(declared[id]!.order);
    expect(report.kind).toBe(solver.stochastic ? 'sde' : 'ode');
    expect(Math.abs(report.order.slope - solver.order)).toBeLessThan(solver.order >= 4.5 ? 0.5 : solver.stochastic ? 0.2 : 0.35);
    expect(solver.errorOrder).toBe(declared[id]!.errorOrder);
    if (declared[id]!.errorOrder !== undefined) expect(Math.abs(report.errorEstimate!.order - declared[id]!.errorOrder!)).toBeLessThan(0.35);
    else expect(report.errorEstimate).toBeUndefined();
  });
});

describe('the conformance suite can fail', () => {
  const liars = definePlugin({
    name: 'liars',
    version: '0',
    entries: [
      // Euler's step, declared as a fourth-order method.
      defineIntegrator({ id: 'fake-rk4', description: 'Euler declared as order 4', create: () => ({ ...euler(), id: 'fake-rk4', order: 4 }) }),
      // Heun's step with its embedded Euler estimate (order 1), declared as order 3.
      defineIntegrator({ id: 'fake-error-order', description: 'Heun declaring an order-3 estimate', create: () => ({ ...heun(), id: 'fake-error-order', errorOrder: 3 }) }),
    ],
  });
  const withLiars = createRegistry({ plugins: [liars] });

  it('rejects a registered Euler step that declares order 4', () => {
    const before = tf.memory().numTensors;
    expect(() => checkIntegratorConformance(withLiars, 'fake-rk4')).toThrow(/fake-rk4: declared order 4, measured 1\.\d/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects an error estimate whose declared order is wrong', () => {
    const before = tf.memory().numTensors;
    expect(() => checkIntegratorConformance(withLiars, 'fake-error-order')).toThrow(/fake-error-order: declared error-estimate order 3, measured 1\.\d/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects euler declared as order 2 with the steps of a first-order method', () => {
    const liar = { ...euler(), order: 2 };
    expect(() => checkIntegratorOrder(liar, { steps: [16, 32, 64, 128], name: 'liar' })).toThrow(/declared order 2, measured 1\.0/);
    expect(measureIntegratorOrder(liar, { steps: [16, 32, 64] }).slope).toBeLessThan(1.3);
  });
});
