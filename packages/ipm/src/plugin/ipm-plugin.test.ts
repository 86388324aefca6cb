import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRegistry, definePlugin, type TestFunctionFamily } from '@pfm/core';
import { z } from 'zod';
import { energyDistance } from '../energy/energy-distance.js';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import { mmd } from '../mmd/mmd.js';
import { gaussianRows, scalarValue, toTensor } from '../test-support/host.js';
import { ipmPlugin } from './ipm-plugin.js';

const registry = () => createRegistry({ plugins: [ipmPlugin] });

function build(id: string, options: unknown = {}, r = registry()) {
  const parsed = r.parseOptions('discrepancy', id, options);
  return r.get('discrepancy', id).create(parsed, { registry: r });
}

describe('ipmPlugin', () => {
  it('registers every discrepancy, kernel and test-function family under kebab-case ids', () => {
    const r = registry();
    expect(r.ids('discrepancy')).toEqual(
      ['characteristic', 'energy', 'features', 'fourier', 'mmd', 'sinkhorn', 'sliced-wasserstein', 'stein', 'wasserstein'],
    );
    expect(r.ids('kernel')).toEqual(['distance', 'gaussian', 'inverse-multiquadric', 'laplace', 'rational-quadratic']);
    expect(r.ids('test-functions')).toEqual(['characteristic', 'fourier', 'hermite', 'moment-generating']);
    // Every entry lists its options as JSON Schema (for `pfm list`).
    expect(r.list().every((e) => typeof e.options === 'object')).toBe(true);
  });

  it('builds every discrepancy from JSON options and evaluates it to a finite number', () => {
    const x = toTensor(gaussianRows(1, 12, [0, 0], 1));
    const y = toTensor(gaussianRows(2, 10, [1, 0], 1));
    const configs: Array<[string, unknown]> = [
      ['mmd', { kernel: { id: 'rational-quadratic', options: { lengthScale: 1 } } }],
      ['mmd', { kernel: 'inverse-multiquadric', estimator: 'biased' }],
      ['energy', {}],
      ['features', { family: { id: 'moment-generating', options: { count: 16 } } }],
      ['fourier', { maxFrequency: 3, period: 10 }],
      ['characteristic', { count: 64, law: 'gaussian' }],
      ['sinkhorn', { blur: 0.5 }],
      ['sliced-wasserstein', { projections: 8, resample: true }],
      ['wasserstein', {}],
      ['stein', { target: { kind: 'gaussian', mean: [0, 0], std: 1 } }],
    ];
    for (const [id, options] of configs) {
      const v = scalarValue(tf.tidy(() => build(id, options)(x, y)));
      expect(Number.isFinite(v), id).toBe(true);
    }
    tf.dispose([x, y]);
  });

  it('gives the same values as the plain functions', () => {
    const x = toTensor(gaussianRows(3, 15, [0, 0], 1));
    const y = toTensor(gaussianRows(4, 15, [0.5, 0], 1));
    const viaRegistry = scalarValue(build('mmd', { kernel: { id: 'gaussian', options: { bandwidth: 0.8 } } })(x, y));
    expect(viaRegistry).toBeCloseTo(scalarValue(mmd(x, y, { kernel: gaussianKernel({ bandwidth: 0.8 }) })), 6);
    expect(scalarValue(build('energy')(x, y))).toBeCloseTo(scalarValue(energyDistance(x, y)), 6);
    tf.dispose([x, y]);
  });

  it('uses a test-function family that a user registers', () => {
    // f(x) = (x₁, x₁²) with weights (1, 1): D₂² (biased) = (mean x₁ − mean y₁)² + (mean x₁² − mean y₁²)².
    const polynomial = definePlugin({
      name: 'user',
      version: '1.0.0',
      entries: [
        {
          kind: 'test-functions',
          id: 'first-moments',
          description: 'x₁ and x₁²',
          schema: z.strictObject({}),
          create: (): TestFunctionFamily => ({
            size: 2,
            features: (a) => tf.tidy(() => {
              const first = tf.slice(a, [0, 0], [-1, 1]);
              return tf.concat([first, tf.square(first)], 1) as tf.Tensor2D;
            }),
            weights: () => tf.ones([2]) as tf.Tensor1D,
          }),
        },
      ],
    });
    const r = registry().use(polynomial);
    const d = build('features', { family: { id: 'first-moments' }, estimator: 'biased' }, r);
    const x = tf.tensor2d([[1, 5], [3, 0]]);
    const y = tf.tensor2d([[0, 1], [2, 2], [4, 3]]);
    // mean x₁ = 2, mean x₁² = 5; mean y₁ = 2, mean y₁² = 20/3: D₂² = 0 + (5 − 20/3)² = 25/9.
    expect(scalarValue(d(x, y))).toBeCloseTo(25 / 9, 5);
    tf.dispose([x, y]);
  });

  it('stein accepts a score function from code and requires exactly one of target / score', () => {
    const r = registry();
    const score = (a: tf.Tensor2D) => tf.neg(a) as tf.Tensor2D;
    const fromCode = build('stein', { score, kernel: 'gaussian' }, r);
    const fromJson = build('stein', { target: { kind: 'gaussian' }, kernel: 'gaussian' }, r);
    const x = toTensor(gaussianRows(5, 20, [0.5, 0], 1));
    expect(scalarValue(fromCode(x, x))).toBeCloseTo(scalarValue(fromJson(x, x)), 6);
    x.dispose();
    expect(() => r.parseOptions('discrepancy', 'stein', {})).toThrow(/exactly one of "target"/);
  });

  it('rejects bad options naming the field, and unknown ids listing the known ones', () => {
    const r = registry();
    expect(() => r.parseOptions('discrepancy', 'sinkhorn', { blur: -1 })).toThrow(/options\.blur/);
    expect(() => r.parseOptions('discrepancy', 'mmd', { estimator: 'v' })).toThrow(/options\.estimator/);
    expect(() => r.parseOptions('discrepancy', 'energy', { exponant: 1 })).toThrow(/exponant/);
    expect(() => build('mmd', { kernel: 'rbf' }, r)).toThrow(/unknown kernel "rbf"; known kernel ids: distance, gaussian/);
    expect(() => build('mmd', { kernel: { id: 'gaussian', options: { bandwidth: 0 } } }, r)).toThrow(/kernel\.options\.bandwidth/);
  });
});
