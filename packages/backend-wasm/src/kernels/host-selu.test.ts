import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-elementwise-gradients.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { expectElementwise } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';

// Each value within 4 float32 ulps of cpu's relative to itself: cpu computes λα(Math.exp(x) − 1)
// in float64 (accurate), this kernel λα·expm1(x) to about 1e-10, then both round to float32.
const RTOL = 2 ** -21;
// Near 0 on the negative side, where the stock kernel's float32 exp(x) − 1 cancels.
const SMALL = [-1e-6, -3e-5, -1e-3, -0.01, -0.0108, -0.0109, 1e-6, -1e-7];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 88, 100, -88, -104, -200];

describe('Selu on wasm (host kernel)', () => {
  it('matches cpu value by value on float32 inputs of many shapes, near 0 and at the special values', async () => {
    const shapes = [[], [1], [9], [4, 5], [2, 3, 4], [0], [3, 0]];
    const results = await onCpuAndWasm(() => [
      ...shapes.map((shape) => tf.selu(tf.mul(wave(shape, 0.6), 6))),
      tf.selu(tf.tensor1d(SMALL, 'float32')),
      tf.selu(tf.tensor1d(SPECIAL, 'float32')),
    ]);
    expectElementwise(results, [...shapes.map((s) => `[${s}]`), 'near 0', 'special values'], RTOL);
    // −0 stays −0 (x ≥ 0 takes the linear branch, as on cpu); NaN stays NaN.
    expect(Object.is(results.wasm.at(-1)?.values[4], -0)).toBe(true);
    expect(results.wasm.at(-1)?.values[0]).toBeNaN();
  });

  it('stays accurate below |x| = 1e-16, where even the float64 e^x − 1 of cpu cancels', async () => {
    const tiny = [-1e-12, -1e-20, -1e-30, -3e-38];
    const results = await onCpuAndWasm(() => tf.selu(tf.tensor1d(tiny, 'float32')));
    expect(results.cpu[0]?.values).not.toEqual(results.wasm[0]?.values); // cpu: λα·(e^x − 1) cancels
    results.wasm[0]?.values.forEach((value, i) => {
      const reference = tf.backend_util.SELU_SCALEALPHA * Math.expm1(Math.fround(tiny[i] as number));
      expect(Math.abs(value - reference)).toBeLessThanOrEqual(RTOL * Math.abs(reference));
    });
  });

  it('int32 inputs give int32, truncated toward 0 like cpu', async () => {
    const results = await onCpuAndWasm(() => tf.selu(tf.tensor2d([-3, -1, 0, 1, 2, 7], [2, 3], 'int32')));
    expectElementwise(results, ['int32 [2,3]']);
    expect(results.wasm[0]?.values).toEqual([-1, -1, 0, 1, 2, 7]);
  });

  it('the gradient of tf.selu matches cpu (it runs Greater with a scalar, Exp, Multiply and Select)', async () => {
    const results = await onCpuAndWasm(() => {
      const w = wave([16, 8], 2.3);
      return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.selu(x), w)))(tf.mul(wave([16, 8], 0.4), 3));
    });
    expectAgreement(results, ['d/dx sum(w·selu(x))'], 1e-6);
  });

  it('the stock kernel fails the near-0 comparison (so the test above can fail)', async () => {
    const results = await onCpuAndWasm(() => tf.selu(tf.tensor1d(SMALL, 'float32')), { stockKernel: 'Selu' });
    expect(() => expectElementwise(results, ['near 0, stock'], RTOL)).toThrow();
  });
});
