import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '@pfm/core';
import { ipmPlugin } from '../plugin/ipm-plugin.js';
import { gaussianRows, scalarValue, toTensor } from '../test-support/host.js';
import { featureDiscrepancy } from './feature-discrepancy.js';
import { fourierFeatures } from './fourier-features.js';

const registry = createRegistry({ plugins: [ipmPlugin] });

function build(id: string, options: unknown) {
  return registry.get('discrepancy', id).create(registry.parseOptions('discrepancy', id, options), { registry });
}

describe('feature discrepancy entries share the options of featureDiscrepancy', () => {
  it('pass `fused` through: the composed path (fused: false) gives the fused value', () => {
    const x = toTensor(gaussianRows(5, 20, [0, 0], 1));
    const y = toTensor(gaussianRows(6, 18, [0.4, 0], 1));
    const before = tf.memory().numTensors;
    for (const [id, options] of [
      ['fourier', { maxFrequency: 2, period: 8 }],
      ['characteristic', { count: 32, law: 'gaussian', seed: 3 }],
      ['features', { family: { id: 'moment-generating', options: { count: 8 } }, estimator: 'biased' }],
    ] as const) {
      const fused = scalarValue(tf.tidy(() => build(id, { ...options, fused: true })(x, y)));
      const composed = scalarValue(tf.tidy(() => build(id, { ...options, fused: false })(x, y)));
      expect(composed, id).toBeCloseTo(fused, 5);
    }
    const plain = scalarValue(tf.tidy(() => featureDiscrepancy(x, y, { family: fourierFeatures({ dim: 2, maxFrequency: 2, period: 8 }) })));
    expect(scalarValue(tf.tidy(() => build('fourier', { maxFrequency: 2, period: 8 })(x, y)))).toBeCloseTo(plain, 6);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('reject a bad `fused` naming the field, and code-only fields of the functions', () => {
    expect(() => registry.parseOptions('discrepancy', 'fourier', { fused: 'yes' })).toThrow(/fused/);
    expect(() => registry.parseOptions('discrepancy', 'characteristic', { family: 'fourier' })).toThrow(/family/);
    expect(() => registry.parseOptions('discrepancy', 'sinkhorn', { plan: true })).toThrow(/plan/);
    expect(() => registry.parseOptions('discrepancy', 'sliced-wasserstein', { directions: [[1, 0]] })).toThrow(/directions/);
    expect(() => registry.parseOptions('discrepancy', 'wasserstein', { weightsX: [1] })).toThrow(/weightsX/);
  });
});
