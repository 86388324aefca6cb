import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DifferentialProblem, Solver } from '../contracts/integrator.js';
import { defineController, defineIntegrator } from '../registry/define-entries.js';
import { definePlugin } from '../registry/plugin.js';
import { createRegistry } from '../registry/registry.js';
import { checkIntegratorConformance, checkSolverConformance } from '../testing/integrator-conformance.js';
import { dampedRotation } from '../testing/damped-rotation.js';
import { controllerEntries } from './controller-entries.js';
import { integralController } from './integral-controller.js';
import { piController } from './pi-controller.js';
import { solve } from './solve.js';

/** Heun's step y0 + h(k1 + k2)/2 with the Euler step as embedded estimate: order 2, error order 1. */
function heunEuler(): Solver {
  return {
    id: 'heun-euler',
    order: 2,
    errorOrder: 1,
    stochastic: false,
    nfePerStep: 2,
    step(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D) {
      const h = t1 - t0;
      const [y, error] = tf.tidy(() => {
        const k1 = problem.drift(t0, y0);
        const k2 = problem.drift(t1, tf.add(y0, tf.mul(k1, h)) as tf.Tensor2D);
        return [tf.add(y0, tf.mul(tf.add(k1, k2), h / 2)) as tf.Tensor2D, tf.mul(tf.sub(k2, k1), h / 2) as tf.Tensor2D];
      });
      return { y, error, nfe: 2 };
    },
  };
}

const controllers = definePlugin({ name: 'controllers', version: '0', entries: controllerEntries });

describe('controller registry entries', () => {
  const registry = createRegistry({ plugins: [controllers] });

  it('pi and integral come with their options and defaults', () => {
    expect(registry.ids('controller')).toEqual(['integral', 'pi']);
    expect(registry.parseOptions('controller', 'pi', {})).toEqual({ safety: 0.9, minFactor: 0.2, maxFactor: 10, alpha: 0.7, beta: 0.4 });
    expect(registry.parseOptions('controller', 'integral', { safety: 0.8 })).toEqual({ safety: 0.8, minFactor: 0.2, maxFactor: 10 });
  });

  it('bad options name the field', () => {
    expect(() => registry.parseOptions('controller', 'pi', { beta: 0.8 }, 'sampler.controller.options')).toThrow(/sampler\.controller\.options\.beta: beta must be smaller than alpha/);
    expect(() => registry.parseOptions('controller', 'integral', { safety: 1.5 }, 'c')).toThrow(/c\.safety/);
    expect(() => registry.parseOptions('controller', 'integral', { alpha: 0.5 }, 'c')).toThrow(/c: .*alpha/);
    expect(() => registry.get('controller', 'p')).toThrow(/unknown controller "p"; known controller ids: integral, pi/);
  });

  it('the options reach the controller: the same as building it directly', () => {
    const fromRegistry = registry.get('controller', 'integral').create(registry.parseOptions('controller', 'integral', { safety: 0.5, maxFactor: 3 }));
    const direct = integralController({ safety: 0.5, maxFactor: 3 });
    const defaults = integralController();
    for (const error of [0.01, 0.5, 2]) {
      const a = fromRegistry.propose(fromRegistry.init(), error, 4);
      expect(a).toEqual(direct.propose(direct.init(), error, 4));
      expect(a.factor).not.toBe(defaults.propose(defaults.init(), error, 4).factor);
    }
    const pi = registry.get('controller', 'pi').create(registry.parseOptions('controller', 'pi', { alpha: 0.6, beta: 0.1 }));
    expect(pi.propose({ previousError: 0.5 }, 0.2, 4)).toEqual(piController({ alpha: 0.6, beta: 0.1 }).propose({ previousError: 0.5 }, 0.2, 4));
  });
});

describe('defineIntegrator', () => {
  it('builds an integrator entry whose options reach the solver; no schema means no options', () => {
    const scaled = defineIntegrator({
      id: 'scaled-euler',
      description: 'Euler on a time-scaled drift (a test of options)',
      schema: z.object({ scale: z.number().positive().default(1) }).strict(),
      create: ({ scale }) => ({
        order: 1,
        stochastic: false,
        step: (p: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D) => ({ y: tf.tidy(() => tf.add(y0, tf.mul(p.drift(t0, y0), scale * (t1 - t0))) as tf.Tensor2D), nfe: 1 }),
      }),
    });
    const plain = defineIntegrator({ id: 'plain', description: 'no options', create: heunEuler });
    const registry = createRegistry({ plugins: [definePlugin({ name: 't', version: '0', entries: [scaled, plain] })] });
    expect(scaled.kind).toBe('integrator');
    const before = tf.memory().numTensors;
    const y0 = tf.tensor2d([[1, 0]]);
    const solver = registry.get('integrator', 'scaled-euler').create(registry.parseOptions('integrator', 'scaled-euler', { scale: 2 }));
    const { problem } = dampedRotation();
    const r = solver.step(problem, 0, 0.1, y0);
    // y0 A = [-0.5, 2]; one step of 2 · 0.1.
    expect(Array.from(r.y.dataSync())).toEqual([1 - 0.5 * 0.2, 2 * 0.2].map((v) => Math.fround(v)));
    tf.dispose([y0, r.y]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => registry.parseOptions('integrator', 'plain', { steps: 3 }, 'sampler.integrator.options')).toThrow(/sampler\.integrator\.options/);
    expect(() => defineIntegrator({ id: '', description: '', create: heunEuler })).toThrow(/"id" must be a non-empty string/);
    expect(() => defineController({ id: 'x', description: '', create: undefined as never })).toThrow(/defineController\(x\): "create" must be a function/);
  });
});

describe('solve with a controller from the registry', () => {
  it('an adaptive Heun–Euler pair reaches the closed form within a small multiple of rtol', () => {
    const registry = createRegistry({ plugins: [controllers] });
    const before = tf.memory().numTensors;
    const { problem, exact } = dampedRotation();
    const y0 = tf.tensor2d([[1, 0.5]]);
    const want = exact([1, 0.5], 2);
    const nfes: number[] = [];
    for (const id of ['pi', 'integral']) {
      const controller = registry.get('controller', id).create(registry.parseOptions('controller', id, {}));
      for (const rtol of [1e-2, 1e-4]) {
        const r = solve(problem, heunEuler(), { t0: 0, t1: 2, adaptive: { rtol, atol: rtol * 1e-2, controller } }, y0);
        const v = r.y.dataSync();
        expect(Math.hypot(v[0]! - want[0]!, v[1]! - want[1]!)).toBeLessThan(10 * rtol);
        nfes.push(r.nfe);
        r.y.dispose();
      }
    }
    // Tighter tolerance, more evaluations, for both controllers.
    expect(nfes[0]!).toBeLessThan(nfes[1]!);
    expect(nfes[2]!).toBeLessThan(nfes[3]!);
    y0.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('integrator conformance', () => {
  it('passes a correct pair and fails one that declares the wrong orders', () => {
    const before = tf.memory().numTensors;
    const report = checkSolverConformance(heunEuler(), 'heun-euler');
    expect(report.kind).toBe('ode');
    expect(Math.abs(report.order.slope - 2)).toBeLessThan(0.35);
    expect(Math.abs(report.errorEstimate!.order - 1)).toBeLessThan(0.35);
    expect(() => checkSolverConformance({ ...heunEuler(), order: 3 }, 'liar')).toThrow(/liar: declared order 3, measured 2\.0/);
    expect(() => checkSolverConformance({ ...heunEuler(), errorOrder: 2 }, 'liar')).toThrow(/liar: declared error-estimate order 2, measured 1\.0/);
    expect(() => checkSolverConformance({ ...heunEuler(), stochastic: true }, 'half-sde')).toThrow(/half-sde: a stochastic solver needs stepWithIncrement/);
    const registry = createRegistry({ plugins: [definePlugin({ name: 't', version: '0', entries: [defineIntegrator({ id: 'heun-euler', description: '', create: heunEuler })] })] });
    expect(checkIntegratorConformance(registry, 'heun-euler').id).toBe('heun-euler');
    expect(tf.memory().numTensors).toBe(before);
  });
});
