import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Bijector, DifferentialProblem, Solver } from '../index.js';
import { createRegistry, definePlugin } from '../index.js';
import { z } from 'zod';
import { checkBijectorLaws } from './bijector-laws.js';
import { checkDiscrepancyAxioms } from './discrepancy-axioms.js';
import { checkIntegratorOrder } from './integrator-order.js';
import { expectNoTensorLeak } from './expect-no-tensor-leak.js';

/** x = z·exp(s) + b elementwise; log|det| = Σ s. `brokenLogDet` halves it. */
function elementwiseAffine(d: number, brokenLogDet = false): Bijector {
  const s = tf.tidy(() => tf.variable(tf.fill([d], 0.3), true));
  const b = tf.tidy(() => tf.variable(tf.fill([d], -0.2), true));
  const factor = brokenLogDet ? 0.5 : 1;
  const bij: Bijector = {
    inputDim: d,
    outputDim: d,
    nfe: 1,
    variables: [s, b],
    apply: (z) => bij.forwardAndLogDet(z)[0],
    forwardAndLogDet: (z) =>
      tf.tidy(() => [
        tf.add(tf.mul(z, tf.exp(s)), b) as tf.Tensor2D,
        tf.mul(tf.fill([z.shape[0]], 1), tf.mul(tf.sum(s), factor)) as tf.Tensor1D,
      ]),
    inverseAndLogDet: (x) =>
      tf.tidy(() => [
        tf.mul(tf.sub(x, b), tf.exp(tf.neg(s))) as tf.Tensor2D,
        tf.mul(tf.fill([x.shape[0]], 1), tf.mul(tf.sum(s), -factor)) as tf.Tensor1D,
      ]),
    toSpec: () => ({ type: 'test-affine', options: { dim: d } }),
    dispose: () => tf.dispose([s, b]),
  };
  return bij;
}

describe('checkBijectorLaws', () => {
  it('passes a correct bijector, including save/load through a registry', async () => {
    const registry = createRegistry().use(
      definePlugin({
        name: 'test',
        version: '0',
        entries: [
          {
            kind: 'map',
            id: 'test-affine',
            description: 'test',
            schema: z.object({ dim: z.number().int() }),
            create: (o: { dim: number }) => elementwiseAffine(o.dim),
          },
        ],
      }),
    );
    const bij = elementwiseAffine(3);
    await expectNoTensorLeak(() => checkBijectorLaws(bij, { registry }));
    bij.dispose();
  });

  it('catches a wrong log-determinant', () => {
    const bij = elementwiseAffine(2, true);
    expect(() => checkBijectorLaws(bij)).toThrow(/log/);
    bij.dispose();
  });
});

describe('checkDiscrepancyAxioms', () => {
  const meanGap = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.sum(tf.square(tf.sub(tf.mean(x, 0), tf.mean(y, 0)))) as tf.Scalar;
  it('passes the squared distance between means', () => {
    checkDiscrepancyAxioms(meanGap, { name: 'mean gap' });
  });
  it('catches an asymmetric one', () => {
    const skew = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.add(meanGap(x, y), tf.mul(tf.sum(tf.mean(x, 0)), 0.1)) as tf.Scalar;
    expect(() => checkDiscrepancyAxioms(skew, { name: 'skew', zeroOnIdentical: false, nonnegative: false })).toThrow(/not symmetric/);
  });
  it('catches a wrong gradient', () => {
    const noGrad = (x: tf.Tensor2D, y: tf.Tensor2D) => {
      const v = meanGap(x, y).dataSync()[0]!;
      return tf.add(tf.scalar(v), tf.mul(tf.sum(x), 0)) as tf.Scalar;
    };
    expect(() => checkDiscrepancyAxioms(noGrad, { name: 'no-grad' })).toThrow(/finite difference/);
  });
});

const euler: Solver = {
  order: 1,
  stochastic: false,
  step: (p: DifferentialProblem, t0, t1, y) => ({ y: tf.tidy(() => tf.add(y, tf.mul(p.drift(t0, y), t1 - t0))) as tf.Tensor2D, nfe: 1 }),
};
const rk4: Solver = {
  order: 4,
  stochastic: false,
  step: (p, t0, t1, y) => ({
    y: tf.tidy(() => {
      const h = t1 - t0;
      const k1 = p.drift(t0, y);
      const k2 = p.drift(t0 + h / 2, tf.add(y, tf.mul(k1, h / 2)) as tf.Tensor2D);
      const k3 = p.drift(t0 + h / 2, tf.add(y, tf.mul(k2, h / 2)) as tf.Tensor2D);
      const k4 = p.drift(t1, tf.add(y, tf.mul(k3, h)) as tf.Tensor2D);
      return tf.add(y, tf.mul(tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]), h / 6)) as tf.Tensor2D;
    }),
    nfe: 4,
  }),
};

describe('checkIntegratorOrder', () => {
  it('measures order 1 for Euler and 4 for RK4', () => {
    expect(checkIntegratorOrder(euler, { steps: [8, 16, 32, 64] }).slope).toBeCloseTo(1, 0);
    expect(checkIntegratorOrder(rk4, { steps: [2, 4, 6, 8] }).slope).toBeGreaterThan(3.6);
  });
  it('rejects a solver that declares the wrong order', () => {
    expect(() => checkIntegratorOrder({ ...euler, order: 2 }, { steps: [8, 16, 32, 64], name: 'euler' })).toThrow(
      /declared order 2, measured 1\.0/,
    );
  });
});

describe('expectNoTensorLeak', () => {
  it('throws on a leak and passes otherwise', async () => {
    let kept: tf.Tensor | undefined;
    await expect(expectNoTensorLeak(() => void (kept = tf.ones([2])))).rejects.toThrow(/leaked 1 tensor/);
    kept!.dispose();
    await expectNoTensorLeak(() => tf.tidy(() => tf.ones([2]).sum().dataSync()));
  });
});
