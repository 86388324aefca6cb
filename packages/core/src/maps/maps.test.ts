import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { createRegistry } from '../registry/registry.js';
import { corePlugin } from './core-plugin.js';
import { mlp } from './mlp.js';
import { timeMlp } from './time-mlp.js';
import { activate, ACTIVATIONS } from './activations.js';
import { mapFromRecord, mapToRecord } from '../model/map-record.js';

describe('mlp', () => {
  it('computes W₂ σ(W₁ x + b₁) + b₂ with its own variables', () => {
    const net = mlp({ inputDim: 2, outputDim: 1, hidden: [3], activation: 'relu' }, createRng(1));
    const [W1, b1, W2, b2] = net.variables;
    tf.tidy(() => {
      W1!.assign(tf.tensor2d([[1, -1, 0.5], [2, 0, -1]]));
      b1!.assign(tf.tensor1d([0, 1, 0]));
      W2!.assign(tf.tensor2d([[1], [2], [3]]));
      b2!.assign(tf.tensor1d([-1]));
      const y = net.apply(tf.tensor2d([[1, 1]])).dataSync()[0]!;
      // h = relu([3, 0, -0.5]) = [3, 0, 0]; y = 3 − 1 = 2.
      expect(y).toBeCloseTo(2, 6);
    });
    expect(net.variables.map((v) => v.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    net.dispose();
  });

  it('initialises with the documented variances (he-normal: 2/fan_in)', () => {
    const net = mlp({ inputDim: 400, outputDim: 1, hidden: [400], init: 'he-normal' }, createRng(2));
    const v = tf.tidy(() => tf.moments(net.variables[0]!).variance.dataSync()[0]!);
    expect(v).toBeCloseTo(2 / 400, 3);
    net.dispose();
  });

  it("defaults to PyTorch's nn.Linear law: W and b ~ U(±1/√fan_in), in mlp and time-mlp", () => {
    // Regression: a 4-D flow-matching recipe trained worse than its PyTorch twin while pfm drew
    // W from Glorot's law and started every bias at 0 (a law of its own, not the twin's).
    // U(−a, a) has variance a²/3 and mean |w| a/2; 4,096 kernel values put the sample variance
    // within about 2% of a²/3, 64 biases their mean |b| within about 10% of a/2 (one sd).
    const check = (kernel: tf.Variable, bias: tf.Variable, fanIn: number) => {
      const a = 1 / Math.sqrt(fanIn);
      const w = Array.from(kernel.dataSync());
      const b = Array.from(bias.dataSync());
      const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
      expect(variance / (a * a / 3)).toBeGreaterThan(0.92);
      expect(variance / (a * a / 3)).toBeLessThan(1.08);
      expect(Math.max(...w.map(Math.abs), ...b.map(Math.abs))).toBeLessThanOrEqual(a);
      const meanAbsBias = b.reduce((s, v) => s + Math.abs(v), 0) / b.length;
      expect(meanAbsBias / (a / 2)).toBeGreaterThan(0.6);
      expect(meanAbsBias / (a / 2)).toBeLessThan(1.4);
    };
    const net = mlp({ inputDim: 64, outputDim: 64, hidden: [64] }, createRng(3));
    check(net.variables[0]!, net.variables[1]!, 64);
    check(net.variables[2]!, net.variables[3]!, 64);
    net.dispose();
    const field = timeMlp({ dim: 63, hidden: [64] }, createRng(4));
    expect(field.options.init).toBe('fan-in-uniform');
    check(field.variables[0]!, field.variables[1]!, 64);
    field.dispose();
  });

  it('finalScale 0 starts at the zero map, bias included', () => {
    const net = mlp({ inputDim: 3, outputDim: 2, hidden: [8], finalScale: 0 }, createRng(5));
    expect(Array.from(net.variables[2]!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(net.variables[3]!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(net.variables[1]!.dataSync()).some((v) => v !== 0)).toBe(true);
    net.dispose();
  });

  it('rejects wrong input shapes and bad options', () => {
    const net = mlp({ inputDim: 2, outputDim: 2, hidden: [4] }, createRng(1));
    const bad = tf.zeros([3, 5]) as tf.Tensor2D;
    expect(() => net.apply(bad)).toThrow(/expected input \[n, 2\], got \[3, 5\]/);
    bad.dispose();
    net.dispose();
    expect(() => mlp({ inputDim: 2, outputDim: 2, hidden: [4], activation: 'swish' as 'relu' }, createRng(1))).toThrow(/activation/);
  });

  it('every activation matches its formula', () => {
    const xs = [-2, -0.5, 0, 0.7, 3];
    const erf = (x: number) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x));
      const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
      return Math.sign(x) * y;
    };
    const expected: Record<string, (x: number) => number> = {
      relu: (x) => Math.max(0, x),
      silu: (x) => x / (1 + Math.exp(-x)),
      tanh: Math.tanh,
      selu: (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1)),
      gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
      elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
      sigmoid: (x) => 1 / (1 + Math.exp(-x)),
      softplus: (x) => Math.log1p(Math.exp(x)),
      linear: (x) => x,
    };
    for (const name of ACTIVATIONS) {
      const got = tf.tidy(() => Array.from(activate(tf.tensor1d(xs), name).dataSync()));
      got.forEach((g, i) => expect(g, name).toBeCloseTo(expected[name]!(xs[i]!), 4));
    }
  });
});

describe('time-mlp', () => {
  it('accepts t as a scalar or one per row, with both embeddings', () => {
    for (const timeEmbedding of ['concat', 'sinusoidal'] as const) {
      const v = timeMlp({ dim: 2, hidden: [8], timeEmbedding }, createRng(3));
      tf.tidy(() => {
        const x = tf.ones([4, 2]) as tf.Tensor2D;
        const a = v.evaluate(0.3, x);
        const b = v.evaluate(tf.fill([4], 0.3), x);
        expect(a.shape).toEqual([4, 2]);
        expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
        const c = v.evaluate(0.9, x);
        expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
        expect(() => v.evaluate(tf.zeros([3]), x)).toThrow(/t has 3 entries for 4 rows/);
      });
      v.dispose();
    }
  });
});

describe('map records', () => {
  it('a map rebuilt from its record computes the same function; mismatches are rejected', () => {
    const registry = createRegistry({ plugins: [corePlugin] });
    const net = timeMlp({ dim: 2, hidden: [5, 5], timeEmbedding: 'sinusoidal' }, createRng(4));
    const record = mapToRecord(net);
    expect(record.type).toBe('time-mlp');
    expect(record.weights.map((w) => w.name)).toEqual([
      '0:layer0/kernel', '1:layer0/bias', '2:layer1/kernel', '3:layer1/bias', '4:layer2/kernel', '5:layer2/bias',
    ]);
    const copy = mapFromRecord(record, registry, 'maps.velocity');
    tf.tidy(() => {
      const x = tf.randomNormal([6, 2], 0, 1, 'float32', 1) as tf.Tensor2D;
      const a = net.evaluate(0.4, x).dataSync();
      const b = (copy as typeof net).evaluate(0.4, x).dataSync();
      expect(Array.from(b)).toEqual(Array.from(a));
    });
    copy.dispose();
    // Fewer weights than the options need: refused before the map is built.
    const short = { ...record, weights: record.weights.slice(0, 5) };
    expect(() => mapFromRecord(short, registry, 'maps.velocity')).toThrow(/maps\.velocity\.options: mlp \[18 → 5 → 5 → 2\] asks for \d+ parameters/);
    // As many values in a different number of weights: refused by the weight count.
    const merged = { ...record, weights: [...record.weights.slice(0, 4), { ...record.weights[4]!, values: new Float32Array([...record.weights[4]!.values, ...record.weights[5]!.values]) }] };
    expect(() => mapFromRecord(merged, registry, 'maps.velocity')).toThrow(/maps.velocity.weights: time-mlp with these options has 6 weights, the file has 5/);
    const badShape = { ...record, weights: record.weights.map((w, i) => (i === 0 ? { ...w, shape: [3, 3] } : w)) };
    expect(() => mapFromRecord(badShape, registry, 'maps.velocity')).toThrow(/weights\[0\] \(0:layer0\/kernel\): shape \[3, 3\]/);
    expect(() => mapFromRecord({ ...record, options: { ...record.options, hidden: [-1] } }, registry, 'maps.velocity')).toThrow(
      /maps.velocity.options.hidden.0/,
    );
    expect(() => mapFromRecord({ ...record, type: 'nope' }, registry, 'm')).toThrow(/unknown map "nope"; known map ids: conv-encoder, conv-generator, mlp, time-mlp, unet/);
    net.dispose();
  });
});
