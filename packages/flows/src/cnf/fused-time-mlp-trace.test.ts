import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, timeMlp, type TimeMlp } from '@pfm/core';
import { driftDivergence } from './drift-divergence.js';
import { fusedTimeMlpTrace, fusedTimeMlpTraceApplies, tangentSlopeKernelsRegistered } from './fused-time-mlp-trace.js';
import { timeMlpDivergence } from './time-mlp-divergence.js';

/** Largest |a − b| relative to max(1, |b|∞). */
function relativeGap(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1, tf.max(tf.abs(b)).dataSync()[0]!));
}

// Random networks of the three activations the fused path takes, with widths that differ per layer,
// both time embeddings, and d = 1, 2, 4 (the tangent rows per point).
const NETS = [
  { activation: 'selu', hidden: [16, 12, 16], dim: 2, timeEmbedding: 'concat' },
  { activation: 'selu', hidden: [9], dim: 4, timeEmbedding: 'sinusoidal' },
  { activation: 'relu', hidden: [10, 7], dim: 3, timeEmbedding: 'concat' },
  { activation: 'linear', hidden: [6, 5], dim: 1, timeEmbedding: 'concat' },
] as const;

describe('fusedTimeMlpTrace (the trace of a linear, relu or selu time-mlp on the fused dense kernels)', () => {
  it('runs on this backend (pfm registers the fused dense kernels on cpu and wasm) and not for other activations or an output activation', () => {
    const selu = timeMlp({ dim: 2, hidden: [4, 4], activation: 'selu' }, createRng(1));
    const silu = timeMlp({ dim: 2, hidden: [4, 4], activation: 'silu' }, createRng(1));
    const noHidden = timeMlp({ dim: 2, hidden: [], activation: 'selu' }, createRng(1));
    expect(fusedTimeMlpTraceApplies(selu)).toBe(true);
    expect(fusedTimeMlpTraceApplies(silu)).toBe(false);
    expect(fusedTimeMlpTraceApplies(noHidden)).toBe(false);
    const tanhOut = { ...selu, network: { ...selu.network, options: { ...selu.network.options, outputActivation: 'tanh' } } } as TimeMlp;
    expect(fusedTimeMlpTraceApplies(tanhOut)).toBe(false);
    [selu, silu, noHidden].forEach((f) => f.dispose());
  });

  it.each(NETS.map((net) => [`${net.activation} ${JSON.stringify(net.hidden)} d=${net.dim}`, net]))(
    '%s: velocity equals evaluate and the exact divergence equals autodiff per dimension (driftDivergence)',
    (_label, net) => {
      const before = tf.memory().numTensors;
      const field = timeMlp({ ...net, hidden: [...net.hidden], embeddingFrequencies: 2, init: 'lecun-normal' }, createRng(7));
      expect(fusedTimeMlpTraceApplies(field)).toBe(true);
      const x = tf.tidy(() => tf.mul(createRng(8).normal([6, net.dim]), 1.5)) as tf.Tensor2D;
      const packed = fusedTimeMlpTrace(field, 0.61, x);
      const reference = driftDivergence((t, y) => field.evaluate(t, y), 0.61, x);
      const [velocity, divergence] = tf.tidy(() => [tf.slice(packed, [0, 0], [6, net.dim]), tf.reshape(tf.slice(packed, [0, net.dim], [6, 1]), [6])]);
      // Float32 rounding: the products are summed in another order, selu slopes read from the output.
      expect(relativeGap(velocity!, reference.drift)).toBeLessThan(1e-6);
      expect(relativeGap(divergence!, reference.divergence)).toBeLessThan(1e-5);
      tf.dispose([x, packed, velocity!, divergence!, reference.drift, reference.divergence]);
      field.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.each(NETS.map((net) => [`${net.activation} ${JSON.stringify(net.hidden)} d=${net.dim}`, net]))(
    '%s: gradients (x and every weight) of the exact and the probe trace equal the taped forward-mode trace',
    (_label, net) => {
      const before = tf.memory().numTensors;
      const field = timeMlp({ ...net, hidden: [...net.hidden], embeddingFrequencies: 2, init: 'lecun-normal' }, createRng(9));
      const n = 5;
      const x = tf.tidy(() => tf.mul(createRng(10).normal([n, net.dim]), 1.5)) as tf.Tensor2D;
      const probe = tf.tidy(() => tf.sign(tf.sub(createRng(11).uniform([n, net.dim]), 0.5))) as tf.Tensor2D;
      const weightsOut = tf.tidy(() => createRng(12).normal([n, net.dim]));
      const vars = field.variables as tf.Variable[];
      for (const p of [undefined, probe]) {
        const fusedLoss = (xs: tf.Tensor2D) =>
          tf.tidy(() => {
            const packed = fusedTimeMlpTrace(field, 0.23, xs, p);
            const v = tf.slice(packed, [0, 0], [n, net.dim]);
            const div = tf.reshape(tf.slice(packed, [0, net.dim], [n, 1]), [n]);
            return tf.add(tf.sum(tf.mul(v, weightsOut)), tf.sum(tf.mul(div, tf.range(1, n + 1)))) as tf.Scalar;
          });
        const tapedLoss = (xs: tf.Tensor2D) =>
          tf.tidy(() => {
            const { velocity, divergence } = timeMlpDivergence(field, 0.23, xs, p);
            return tf.add(tf.sum(tf.mul(velocity, weightsOut)), tf.sum(tf.mul(divergence, tf.range(1, n + 1)))) as tf.Scalar;
          });
        const gradients = (loss: (xs: tf.Tensor2D) => tf.Scalar) =>
          tf.tidy(() => {
            const { grads } = tf.variableGrads(() => loss(x), vars);
            const dx = tf.grad((xs: tf.Tensor) => loss(xs as tf.Tensor2D))(x);
            return [dx, ...vars.map((v) => grads[v.name]!)];
          });
        const ours = gradients(fusedLoss);
        const taped = gradients(tapedLoss);
        ours.forEach((g, i) => expect(relativeGap(g, taped[i]!), `${p ? 'probe' : 'exact'} gradient ${i}`).toBeLessThan(1e-4));
        tf.dispose([...ours, ...taped]);
      }
      tf.dispose([x, probe, weightsOut]);
      field.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.each(NETS.map((net) => [`${net.activation} ${JSON.stringify(net.hidden)} d=${net.dim}`, net]))(
    '%s: the tangent-slope kernels give the composed tangent ops\' values and gradients (exact and probe)',
    (_label, net) => {
      expect(tangentSlopeKernelsRegistered()).toBe(true);
      const before = tf.memory().numTensors;
      const field = timeMlp({ ...net, hidden: [...net.hidden], embeddingFrequencies: 2, init: 'lecun-normal' }, createRng(13));
      const n = 7;
      const x = tf.tidy(() => tf.mul(createRng(14).normal([n, net.dim]), 1.5)) as tf.Tensor2D;
      const probe = tf.tidy(() => tf.sign(tf.sub(createRng(15).uniform([n, net.dim]), 0.5))) as tf.Tensor2D;
      const cotangent = tf.tidy(() => createRng(16).normal([n, net.dim + 1]));
      const vars = field.variables as tf.Variable[];
      for (const p of [undefined, probe]) {
        const run = (tangentKernels: boolean) =>
          tf.tidy(() => {
            const loss = (xs: tf.Tensor2D) => tf.sum(tf.mul(fusedTimeMlpTrace(field, 0.37, xs, p, { tangentKernels }), cotangent)) as tf.Scalar;
            const { value, grads } = tf.variableGrads(() => loss(x), vars);
            const dx = tf.grad((xs: tf.Tensor) => loss(xs as tf.Tensor2D))(x);
            return [fusedTimeMlpTrace(field, 0.37, x, p, { tangentKernels }), value, dx, ...vars.map((v) => grads[v.name]!)];
          });
        const fused = run(true);
        const composed = run(false);
        // The forward is the same float32 products; the backward sums over tangents in float64.
        expect(Array.from(fused[0]!.dataSync()), `${p ? 'probe' : 'exact'} value`).toEqual(Array.from(composed[0]!.dataSync()));
        fused.slice(1).forEach((g, i) => expect(relativeGap(g, composed[i + 1]!), `${p ? 'probe' : 'exact'} gradient ${i}`).toBeLessThan(1e-6));
        tf.dispose([...fused, ...composed]);
      }
      tf.dispose([x, probe, cotangent]);
      field.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('refuses a probe that is not [n, d]', () => {
    const before = tf.memory().numTensors;
    const field = timeMlp({ dim: 2, hidden: [4, 4], activation: 'selu' }, createRng(1));
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const probe = tf.ones([3, 1]) as tf.Tensor2D;
    expect(() => fusedTimeMlpTrace(field, 0, x, probe)).toThrow('cnf: the probe must be [3, 2] like x, got [3, 1]');
    tf.dispose([x, probe]);
    field.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
