import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-elementwise-gradients.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { expectElementwise } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';

/** wave values with NaN, ±Infinity and −0 at a few positions (a select must move them bit for bit). */
function withSpecials(shape: number[], phase: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const special = [NaN, Infinity, -Infinity, -0];
  const values = Float32Array.from({ length: size }, (_, i) => (i % 5 === 2 ? (special[i % 4] as number) : Math.sin(0.731 * i + phase)));
  return tf.tensor(values, shape, 'float32');
}

describe('Select (tf.where) on wasm (host kernel for bool and mixed dtypes, stock kernel otherwise)', () => {
  it('matches cpu exactly for float32, int32 and bool, equal shapes and broadcasts through tf.where, empty ones included', async () => {
    const shapes = [[], [1], [7], [4, 5], [2, 3, 4], [0], [0, 3]];
    const labels = shapes.flatMap((s) => [`[${s}] float32`, `[${s}] int32`, `[${s}] bool`]);
    const results = await onCpuAndWasm(() => [
      ...shapes.flatMap((shape) => {
        const condition = tf.greater(wave(shape, 0.5), 0);
        const t = withSpecials(shape, 0.1);
        const e = withSpecials(shape, 2.7);
        return [
          tf.where(condition, t, e),
          tf.where(condition, tf.cast(tf.mul(t, 9), 'int32'), tf.cast(tf.mul(e, 9), 'int32')),
          tf.where(condition, tf.greater(t, 0), tf.greater(e, 0)),
        ];
      }),
      // tf.where broadcasts all three to one shape before the kernel runs.
      tf.where(tf.greater(wave([3, 1], 0.5), 0), withSpecials([3, 4], 0.1), withSpecials([4], 1.3)),
      tf.where(tf.greater(wave([4], 0.5), 0), withSpecials([2, 4], 0.1), tf.scalar(-0)),
    ]);
    expectElementwise(results, [...labels, 'where [3,1] [3,4] [4]', 'where [4] [2,4] scalar']);
  });

  it('a condition per row (rank 1 against [n, m], only from a direct kernel call) goes to the stock kernel, as cpu', async () => {
    const results = await onCpuAndWasm(
      () =>
        tf.engine().runKernel('Select', {
          condition: tf.tensor1d([true, false, true], 'bool'),
          t: wave([3, 2], 0.1),
          e: wave([3, 2], 0.9),
        }) as tf.Tensor,
    );
    expectElementwise(results, ['condition [3], t and e [3,2]']);
  });

  it('t and e of different dtypes (only from a direct kernel call) give the upcast, like cpu; the stock kernel reads e as t (so this can fail)', async () => {
    const compute = () =>
      tf.engine().runKernel('Select', {
        condition: tf.tensor1d([true, false, false], 'bool'),
        t: tf.tensor1d([1.5, 2.5, 3.5]),
        e: tf.tensor1d([4, 5, 6], 'int32'),
      }) as tf.Tensor;
    const host = await onCpuAndWasm(compute);
    expectElementwise(host, ['t float32, e int32']);
    expect(host.wasm[0]?.values).toEqual([1.5, 5, 6]);
    const stock = await onCpuAndWasm(compute, { stockKernel: 'Select' });
    expect(stock.wasm[0]?.values).not.toEqual(host.cpu[0]?.values);
  });

  it('a bool select matches cpu (the stock kernel copies 4-byte elements: wrong values, and it writes past the output)', async () => {
    // Not run against the stock kernel here: its out-of-bounds writes corrupt the wasm heap.
    const results = await onCpuAndWasm(() =>
      tf.where(tf.tensor1d([true, false, true, false, true, false, true], 'bool'), tf.tensor1d([1, 1, 1, 0, 0, 0, 1], 'bool'), tf.tensor1d([0, 0, 0, 1, 1, 1, 0], 'bool')),
    );
    expectElementwise(results, ['bool t and e']);
    expect(results.wasm[0]?.values).toEqual([1, 0, 1, 1, 0, 1, 1]);
  });

  it('the gradient of tf.where matches cpu', async () => {
    const results = await onCpuAndWasm(() => {
      const condition = tf.greater(wave([5, 6], 0.3), 0.2);
      const w = wave([5, 6], 1.7);
      return tf.grads((t: tf.Tensor, e: tf.Tensor) => tf.sum(tf.mul(tf.where(condition, t, e), w)))([wave([5, 6], 0.8), wave([5, 6], 2.4)]);
    });
    expectAgreement(results, ['d/dt', 'd/de'], 0);
  });
});
