import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { FLOAT32_RTOL } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { relativeError } from '../testing/relative-error.js';
import { wave } from '../testing/wave.js';

// [n, h, w, c] and groups: batch 1, odd sizes, one channel per group, one group, and a U-Net layer.
const CASES: { shape: [number, number, number, number]; groups: number }[] = [
  { shape: [1, 3, 5, 4], groups: 2 },
  { shape: [3, 7, 2, 6], groups: 6 },
  { shape: [2, 4, 4, 8], groups: 1 },
  { shape: [2, 5, 3, 12], groups: 4 },
  { shape: [4, 14, 14, 32], groups: 8 },
];
const EPSILON = 1e-5;

/** x (offset from 0, so μ matters), γ, β and dy of one case, made on the active backend. */
function normCase(shape: [number, number, number, number], s: number) {
  const c = shape[3];
  return {
    x: tf.add(tf.mul(wave(shape, s), 3), 0.7),
    scale: tf.add(wave([c], s + 1), 1),
    shift: tf.mul(wave([c], s + 2), 0.5),
    dy: wave(shape, s + 3),
  };
}

/** Group norm from tfjs ops (the reference: autodiff gives its gradient), Wu & He 2018 eq. 1–2. */
function composed(x: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, groups: number): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const grouped = tf.reshape(x, [n, h, w, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
  const normalised = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, EPSILON))), [n, h, w, c]);
  return tf.add(tf.mul(normalised, scale), shift);
}

/**
 * y, μ and σ⁻¹ per sample and group, dx, dγ, dβ: from the kernels on wasm, from the composed ops
 * and autodiff on cpu (which has no such kernels).
 */
function normAndGradients(shape: [number, number, number, number], groups: number, s: number): tf.Tensor[] {
  const { x, scale, shift, dy } = normCase(shape, s);
  const [n, h, w, c] = shape;
  if (tf.getBackend() === 'wasm') {
    const [y, stats] = tf.engine().runKernel('PfmGroupNorm', { x, scale, shift }, { groups, epsilon: EPSILON }) as tf.Tensor[];
    const grads = tf.engine().runKernel('PfmGroupNormGrad', { dy, x, scale, stats: stats! }, { groups, epsilon: EPSILON }) as tf.Tensor[];
    const [mean, invStd] = tf.split(stats!, 2, 2);
    return [y!, tf.reshape(mean!, [n, groups]), tf.reshape(invStd!, [n, groups]), ...grads];
  }
  const { mean, variance } = tf.moments(tf.reshape(x, [n, h * w, groups, c / groups]), [1, 3]);
  const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(composed(a, g, b, groups), dy)))([x, scale, shift]);
  return [composed(x, scale, shift, groups), mean, tf.rsqrt(tf.add(variance, EPSILON)), ...grads];
}

async function onWasm(check: () => void): Promise<void> {
  const projectBackend = tf.getBackend();
  try {
    await wasm().init();
    const before = tf.memory().numTensors;
    check();
    expect(tf.memory().numTensors).toBe(before);
  } finally {
    await tf.setBackend(projectBackend);
  }
}

describe('PfmGroupNorm and PfmGroupNormGrad on wasm', () => {
  it('agree with the composed ops and their autodiff gradient on cpu over batch 1, odd sizes, 1 to 8 groups', async () => {
    const results = await onCpuAndWasm(() => CASES.flatMap(({ shape, groups }, s) => normAndGradients(shape, groups, s)));
    const outputs = ['y', 'mean', 'invStd', 'dx', 'dScale', 'dShift'];
    expect(results.wasm).toHaveLength(results.cpu.length);
    results.cpu.forEach((reference, i) => {
      const label = `[${CASES[Math.floor(i / outputs.length)]!.shape}] ${outputs[i % outputs.length]}`;
      const got = results.wasm[i]!;
      expect(got.shape, label).toEqual(reference.shape);
      // The kernels sum in float64 and the composed ops in float32, in another order: float32 tolerance.
      expect(relativeError(got.values, reference.values), label).toBeLessThanOrEqual(FLOAT32_RTOL);
    });
  });

  it('keep the variance of values far from 0 (|μ|/σ = 10³) within float32 rounding of a float64 reference', async () => {
    await onWasm(() =>
      tf.tidy(() => {
        const shape: [number, number, number, number] = [2, 6, 6, 4];
        const x = tf.add(wave(shape, 9), 1000);
        const [y, stats] = tf.engine().runKernel('PfmGroupNorm', { x, scale: tf.ones([4]), shift: tf.zeros([4]) }, { groups: 2, epsilon: EPSILON }) as tf.Tensor[];
        const values = x.dataSync();
        const want: number[] = [];
        const invStds: number[] = [];
        for (let s = 0; s < 2; s++) {
          for (let g = 0; g < 2; g++) {
            const group: number[] = [];
            for (let p = 0; p < 36; p++) for (let c = 2 * g; c < 2 * g + 2; c++) group.push(values[s * 144 + p * 4 + c]!);
            const mean = group.reduce((a, v) => a + v, 0) / group.length;
            const variance = group.reduce((a, v) => a + (v - mean) ** 2, 0) / group.length;
            invStds.push(1 / Math.sqrt(variance + EPSILON));
          }
        }
        const stat = stats!.dataSync();
        expect(relativeError([stat[1]!, stat[3]!, stat[5]!, stat[7]!], invStds)).toBeLessThan(1e-6);
        for (let i = 0; i < values.length; i++) {
          const s = Math.floor(i / 144);
          const g = Math.floor((i % 4) / 2);
          want.push((values[i]! - stat[2 * (2 * s + g)]!) * invStds[2 * s + g]!);
        }
        // y is standardised (|y| ≲ 2): an absolute float32-rounding bound after the offset 1000 is removed.
        expect(relativeError(Array.from(y!.dataSync()), want)).toBeLessThan(1e-4);
      }),
    );
  });

  it('reject bad inputs and attributes, naming the field, the value and what was expected', async () => {
    await onWasm(() =>
      tf.tidy(() => {
        const x = tf.zeros([2, 3, 3, 4]);
        const scale = tf.ones([4]);
        const shift = tf.zeros([4]);
        const norm = (inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = { groups: 2 }) => () => tf.engine().runKernel('PfmGroupNorm', inputs, attrs);
        expect(norm({ x, scale, shift }, { groups: 3 })).toThrow('PfmGroupNorm: attrs.groups is 3; expected a positive divisor of the 4 channels of x');
        expect(norm({ x, scale, shift }, { groups: 2, epsilon: 0 })).toThrow('PfmGroupNorm: attrs.epsilon is 0; expected a finite number > 0');
        expect(norm({ x: tf.zeros([2, 3, 4]), scale, shift })).toThrow('PfmGroupNorm: inputs.x is float32 [2, 3, 4]; expected float32 [n, h, w, c]');
        expect(norm({ x, scale: tf.ones([3]), shift })).toThrow('PfmGroupNorm: inputs.scale is float32 [3]; expected float32 [4] (one value per channel of x)');
        expect(norm({ x, scale, shift: tf.zeros([4], 'int32') })).toThrow('PfmGroupNorm: inputs.shift is int32 [4]; expected float32 [4] (one value per channel of x)');
        const grad = (inputs: tf.NamedTensorMap) => () => tf.engine().runKernel('PfmGroupNormGrad', inputs, { groups: 2 });
        expect(grad({ dy: tf.zeros([2, 3, 3, 5]), x, scale, stats: tf.zeros([2, 2, 2]) })).toThrow('PfmGroupNormGrad: inputs.dy is float32 [2, 3, 3, 5]; expected float32 [2, 3, 3, 4] (the shape of x)');
        expect(grad({ dy: x, x, scale, stats: tf.zeros([2, 4, 2]) })).toThrow("PfmGroupNormGrad: inputs.stats is float32 [2, 4, 2]; expected float32 [2, 2, 2] (PfmGroupNorm's second output)");
      }),
    );
  });
});
