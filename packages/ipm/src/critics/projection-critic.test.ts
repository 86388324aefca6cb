import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng } from '@pfm/core';
import { checkMapConformance } from '@pfm/core/testing';
import { ipmPlugin } from '../plugin/ipm-plugin.js';
import { projectionCritic } from './projection-critic.js';

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });
const features = { type: 'mlp', options: { inputDim: 2, outputDim: 4, hidden: [6], outputActivation: 'silu' } };

describe('projection-critic', () => {
  it('passes the map laws with class labels and with context vectors (and on images with a conv-encoder)', () => {
    const before = tf.memory().numTensors;
    for (const options of [
      { features, condition: { classes: 3 } },
      { features, condition: { contextDim: 2 } },
      { features: { type: 'conv-encoder', options: { inputShape: [4, 4, 1], outputDim: 3, channels: [2] } }, condition: { classes: 2 } },
    ]) {
      const critic = registry.create('map', { id: 'projection-critic', options }, { rng: createRng(1) });
      checkMapConformance(critic, { registry });
      critic.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is f(x, c) = ψ(h(x)) + ⟨E[c], h(x)⟩: ψ alone does not see c; the projection is linear in E[c]', () => {
    const before = tf.memory().numTensors;
    const critic = projectionCritic({ features, condition: { classes: 3 } }, createRng(2), registry);
    const table = critic.variables.find((v) => v.name.endsWith('/condition/embedding'))!;
    const [kernel, bias] = critic.variables.filter((v) => v.name.includes('/psi/'));
    tf.tidy(() => {
      const x = createRng(3).normal([5, 2]) as tf.Tensor2D;
      const f = (c: number) => Array.from(critic.apply(x, { values: tf.fill([5], c, 'int32') }).dataSync());
      // E = 0: every class gives ψ(h(x)).
      table.assign(tf.zeros([3, 4]));
      expect(f(1)).toEqual(f(0));
      // ψ = 0 and E = [u; v; u + v]: f(x, 2) = f(x, 0) + f(x, 1).
      kernel!.assign(tf.zeros([4, 1]));
      bias!.assign(tf.zeros([1]));
      const u = [0.5, -1, 2, 0.25];
      const v = [1, 0.5, -0.5, 3];
      table.assign(tf.tensor2d([u, v, u.map((a, i) => a + v[i]!)]));
      const [a, b, sum] = [f(0), f(1), f(2)];
      sum.forEach((s, i) => expect(s).toBeCloseTo(a[i]! + b[i]!, 4));
      expect(() => critic.apply(x)).toThrow(/projection-critic: this map is conditioned on class labels 0…2/);
    });
    critic.dispose();
    expect(() => projectionCritic({ features: { type: 'mlp', options: { inputDim: 2, outputDim: 4, condition: { classes: 2 } } }, condition: { classes: 3 } }, createRng(1), registry)).toThrow(
      /projection-critic: options\.features "mlp" must be an unconditional map/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
