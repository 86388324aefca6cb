import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, createRng, timeMlp } from '@pfm/core';
import { timeMlpDivergence } from './time-mlp-divergence.js';
import { timeMlpTrace } from './time-mlp-trace.js';

/** Largest |a − b| relative to max(1, |b|∞). */
function relativeGap(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1, tf.max(tf.abs(b)).dataSync()[0]!));
}

describe('timeMlpTrace (hand-written backward of the forward-mode trace)', () => {
  it.each(ACTIVATIONS.map((a) => [a]))('%s: values and gradients (x and every weight) equal the taped timeMlpDivergence', (activation) => {
    const before = tf.memory().numTensors;
    for (const [timeEmbedding, hidden, useProbe] of [
      ['concat', [8, 6], false],
      ['sinusoidal', [8, 8], true],
      ['concat', [5], false],
      ['concat', [], false],
    ] as const) {
      const field = timeMlp({ dim: 3, hidden: [...hidden], activation, timeEmbedding, embeddingFrequencies: 2 }, createRng(2));
      const x = tf.tidy(() => tf.mul(createRng(3).normal([5, 3]), 1.5)) as tf.Tensor2D;
      const probe = useProbe ? (tf.tidy(() => tf.sign(tf.sub(createRng(4).uniform([5, 3]), 0.5))) as tf.Tensor2D) : undefined;
      // An arbitrary scalar of both outputs, so both cotangents are exercised.
      const weightsOut = tf.tidy(() => createRng(5).normal([5, 3]));
      // The probe is disposed before the backward pass runs, as in the cnf objective's loss.
      const loss = (fn: typeof timeMlpTrace) => (xs: tf.Tensor2D) =>
        tf.tidy(() => {
          const p = probe ? tf.clone(probe) : undefined;
          const { velocity, divergence } = fn(field, 0.37, xs, p);
          return tf.add(tf.sum(tf.mul(velocity, weightsOut)), tf.sum(tf.mul(divergence, tf.range(1, 6)))) as tf.Scalar;
        });
      const ours = timeMlpTrace(field, 0.37, x, probe);
      const taped = timeMlpDivergence(field, 0.37, x, probe);
      expect(relativeGap(ours.velocity, taped.velocity)).toBeLessThan(1e-5);
      expect(relativeGap(ours.divergence, taped.divergence)).toBeLessThan(1e-5);
      const vars = field.variables as tf.Variable[];
      const gradOf = (fn: typeof timeMlpTrace) =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => loss(fn)(x), vars);
          const dx = tf.grad((xs: tf.Tensor) => loss(fn)(xs as tf.Tensor2D))(x);
          return [dx, ...vars.map((v) => grads[v.name]!)];
        });
      const gOurs = gradOf(timeMlpTrace);
      const gTaped = gradOf(timeMlpDivergence);
      gOurs.forEach((g, i) => expect(relativeGap(g, gTaped[i]!), `${activation} ${JSON.stringify(hidden)} gradient ${i}`).toBeLessThan(1e-4));
      tf.dispose([x, weightsOut, ours.velocity, ours.divergence, taped.velocity, taped.divergence, ...gOurs, ...gTaped]);
      if (probe) probe.dispose();
      field.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a probe of the wrong shape and a field that is not a time-mlp', () => {
    const before = tf.memory().numTensors;
    const field = timeMlp({ dim: 2, hidden: [4] }, createRng(1));
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const probe = tf.ones([2, 2]) as tf.Tensor2D;
    expect(() => timeMlpTrace(field, 0, x, probe)).toThrow('timeMlpTrace: probe must be [3, 2] like x, got [2, 2]');
    const other = { dim: 2, variables: [], evaluate: (_t: unknown, y: tf.Tensor2D) => y, toSpec: () => ({ type: 'custom', options: {} }), dispose() {} };
    expect(() => timeMlpTrace(other, 0, x)).toThrow(/needs the velocity to be core's time-mlp, got a "custom" map/);
    tf.dispose([x, probe]);
    field.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
