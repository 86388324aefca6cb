import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-elementwise-gradients.js';
import { expectElementwise } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { broadcastPattern } from './broadcast-pattern.js';

type BinaryOp = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
const OPS: Array<[string, BinaryOp]> = [
  ['Greater', tf.greater],
  ['GreaterEqual', tf.greaterEqual],
  ['Less', tf.less],
  ['LessEqual', tf.lessEqual],
  ['Equal', tf.equal],
  ['NotEqual', tf.notEqual],
  ['Minimum', tf.minimum],
  ['Maximum', tf.maximum],
];

/**
 * Halves in [−2, 2] (so a and b often tie, ±0 included), with NaN, ±Infinity and −0 sprinkled in
 * at positions that a misplaced read would move.
 */
function awkward(shape: number[], phase: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, (_, i) => {
    if (i % 11 === 5) return NaN;
    if (i % 13 === 7) return Infinity;
    if (i % 17 === 4) return -Infinity;
    if (i % 9 === 1) return -0;
    return Math.round(4 * Math.sin(0.731 * i + phase)) / 2;
  });
  return tf.tensor(values, shape, 'float32');
}

// Broadcasts the host kernels run themselves, and ones they hand to the stock kernel.
const FAST: Array<[number[], number[]]> = [
  [[3, 4], [3, 4]],
  [[3, 4], [1, 3, 4]],
  [[2, 3, 4], []],
  [[], [5, 2]],
  [[1, 1], [3, 4]],
  [[6, 4], [4]],
  [[4], [6, 4]],
  [[2, 3, 4], [3, 4]],
  [[1, 4], [5, 4]],
  [[7], [1]],
  [[0, 4], [4]],
  [[0], []],
  [[2, 0], [2, 0]],
];
const DELEGATED: Array<[number[], number[]]> = [
  [[3, 1], [1, 4]],
  [[2, 1, 3], [4, 1]],
  [[5, 4], [5, 1]],
  [[2, 3], [2, 1, 1]],
];

describe('comparisons, Minimum and Maximum on wasm (host kernels)', () => {
  it('match cpu exactly on float32 with NaN, ±Infinity, ±0 and ties, for every fast broadcast', async () => {
    const labels = FAST.flatMap(([a, b]) => OPS.map(([name]) => `${name} [${a}] with [${b}] float32`));
    const results = await onCpuAndWasm(() => FAST.flatMap(([a, b]) => OPS.map(([, op]) => op(awkward(a, 0.2), awkward(b, 1.9)))));
    // Exact: comparisons and picks make no rounding; −0 against +0 is checked too.
    expectElementwise(results, labels);
  });

  it('match cpu exactly on int32 and bool inputs', async () => {
    const shapes = FAST.slice(0, 9);
    const labels = shapes.flatMap(([a, b]) => [
      ...OPS.map(([name]) => `${name} [${a}] with [${b}] int32`),
      ...OPS.slice(0, 6).map(([name]) => `${name} [${a}] with [${b}] bool`),
    ]);
    const results = await onCpuAndWasm(() =>
      shapes.flatMap(([a, b]) => {
        const x = tf.cast(tf.round(tf.mul(wave(a, 0.2), 3)), 'int32');
        const y = tf.cast(tf.round(tf.mul(wave(b, 1.9), 3)), 'int32');
        const p = tf.greater(wave(a, 0.7), 0);
        const q = tf.greater(wave(b, 2.8), 0);
        return [...OPS.map(([, op]) => op(x, y)), ...OPS.slice(0, 6).map(([, op]) => op(p, q))];
      }),
    );
    expectElementwise(results, labels);
  });

  it('mixed float32 and int32 inputs (as a direct kernel call would give) compare like cpu, and Minimum/Maximum take the dtype of a', async () => {
    const labels = OPS.flatMap(([name]) => [`${name} float32 with int32`, `${name} int32 scalar with float32`]);
    const results = await onCpuAndWasm(() => {
      const x = tf.mul(wave([3, 5], 0.4), 2);
      const i = tf.cast(tf.round(tf.mul(wave([3, 5], 1.2), 2)), 'int32');
      const s = tf.scalar(1, 'int32');
      return OPS.flatMap(([name]) => [tf.engine().runKernel(name, { a: x, b: i }) as tf.Tensor, tf.engine().runKernel(name, { a: s, b: x }) as tf.Tensor]);
    });
    expectElementwise(results, labels);
    expect(results.wasm[12]?.dtype).toBe('float32'); // Minimum of float32 and int32
    expect(results.wasm[13]?.dtype).toBe('int32'); // Minimum of int32 and float32 (stock: the same, but b read as int32)
  });

  it('other broadcasts, handed to the stock kernels, match cpu too (values without NaN: see below)', async () => {
    const labels = DELEGATED.flatMap(([a, b]) => OPS.map(([name]) => `${name} [${a}] with [${b}]`));
    const results = await onCpuAndWasm(() =>
      DELEGATED.flatMap(([a, b]) => OPS.map(([, op]) => op(tf.round(tf.mul(wave(a, 0.2), 4)), tf.round(tf.mul(wave(b, 1.9), 4))))),
    );
    expectElementwise(results, labels);
  });

  it('the stock Minimum ignores a NaN in b, which cpu and the host kernel propagate (so these tests can fail)', async () => {
    const compute = () => tf.minimum(tf.tensor1d([1, 2, NaN]), tf.tensor1d([NaN, 1, 3]));
    const host = await onCpuAndWasm(compute);
    expectElementwise(host, ['host Minimum']);
    expect(host.wasm[0]?.values).toEqual([NaN, 1, NaN]);
    const stock = await onCpuAndWasm(compute, { stockKernel: 'Minimum' });
    expect(stock.wasm[0]?.values).not.toEqual(stock.cpu[0]?.values);
  });

  it('the gradients of tf.maximum and tf.minimum (through GreaterEqual, Less, LessEqual, Greater) match cpu, ties included', async () => {
    const results = await onCpuAndWasm(() => {
      const w = wave([4, 6], 0.9);
      const a = tf.round(tf.mul(wave([4, 6], 0.1), 2));
      const b = tf.round(tf.mul(wave([4, 6], 2.2), 2)); // tfjs's Maximum gradient does not reduce a broadcast
      const loss = (f: BinaryOp) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), w));
      return [...tf.grads(loss(tf.maximum))([a, b]), ...tf.grads(loss(tf.minimum))([a, b])];
    });
    expectElementwise(results, ['d max / da', 'd max / db', 'd min / da', 'd min / db'], 1e-6);
  });
});

describe('broadcastPattern', () => {
  it('finds equal shapes, a scalar side and a trailing block, and nothing else', () => {
    expect(broadcastPattern([3, 4], [3, 4], [3, 4])).toEqual({ kind: 'same' });
    expect(broadcastPattern([3, 4], [1, 3, 4], [1, 3, 4])).toEqual({ kind: 'same' });
    expect(broadcastPattern([3, 4], [], [3, 4])).toEqual({ kind: 'scalar', side: 'b' });
    expect(broadcastPattern([1, 1], [3, 4], [3, 4])).toEqual({ kind: 'scalar', side: 'a' });
    expect(broadcastPattern([6, 4], [4], [6, 4])).toEqual({ kind: 'tile', side: 'b', block: 4 });
    expect(broadcastPattern([1, 3, 4], [2, 3, 4], [2, 3, 4])).toEqual({ kind: 'tile', side: 'a', block: 12 });
    expect(broadcastPattern([3, 1], [1, 4], [3, 4])).toEqual({ kind: 'other' });
    expect(broadcastPattern([5, 4], [5, 1], [5, 4])).toEqual({ kind: 'other' });
    expect(broadcastPattern([2, 3, 4], [2, 1, 4], [2, 3, 4])).toEqual({ kind: 'other' });
  });
});
