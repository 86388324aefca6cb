import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { expectElementwise } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { mergedBroadcastAxes } from './broadcast-arithmetic.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

type BinaryOp = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
const OPS: Array<[string, BinaryOp]> = [
  ['Add', tf.add],
  ['Sub', tf.sub],
  ['Multiply', tf.mul],
  ['RealDiv', tf.div],
];

// [full, repeated]: the repeated side's short innermost runs are written out (the first six), or
// the broadcast goes to the stock kernel as it is (long runs, both sides repeated, a bias row).
const SHAPES: Array<[number[], number[]]> = [
  [[2, 5, 3, 2], [2, 1, 3, 1]], // a group norm's statistics, runs of 2
  [[3, 7, 4, 5], [3, 1, 4, 1]],
  [[2, 5, 1, 3, 2], [2, 1, 1, 3, 1]], // size-1 axes in the output
  [[4, 3], [4, 1]],
  [[2, 3, 15], [2, 3, 1]], // a run of 15, the longest written out
  [[3, 2, 4], [1, 2, 1]], // leading axes repeated too
  [[3, 16], [3, 1]], // a run of 16: stock
  [[5, 4], [1, 4]], // a trailing block: stock
  [[3, 1], [1, 4]], // both sides repeated: stock
];

/** Values in [−2, 2] with exact zeros (0/0 and x/0 show NaN and ±Infinity placement) and −0. */
function awkward(shape: number[], phase: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, (_, i) => (i % 7 === 3 ? 0 : i % 11 === 5 ? -0 : 2 * Math.sin(0.731 * i + phase)));
  return tf.tensor(values, shape, 'float32');
}

describe('Add, Sub, Multiply and RealDiv with short repeated runs on wasm', () => {
  it('match cpu bit for bit on float32, with the repeated input second or first', async () => {
    const labels = SHAPES.flatMap(([full, part]) => OPS.flatMap(([name]) => [`${name} [${full}] with [${part}]`, `${name} [${part}] with [${full}]`]));
    const results = await onCpuAndWasm(() =>
      SHAPES.flatMap(([full, part]) =>
        OPS.flatMap(([, op]) => {
          const x = awkward(full, 0.3);
          const y = awkward(part, 1.7);
          return [op(x, y), op(y, x)];
        }),
      ),
    );
    expectElementwise(results, labels);
  });

  it('match cpu on int32 (RealDiv gives float32)', async () => {
    const shapes = SHAPES.slice(0, 4);
    const labels = shapes.flatMap(([full, part]) => OPS.map(([name]) => `${name} [${full}] with [${part}] int32`));
    const results = await onCpuAndWasm(() =>
      shapes.flatMap(([full, part]) => {
        const x = tf.cast(tf.round(tf.mul(wave(full, 0.2), 9)), 'int32');
        const y = tf.add(tf.cast(tf.round(tf.mul(wave(part, 1.1), 4)), 'int32'), 5);
        return OPS.map(([, op]) => op(x, y));
      }),
    );
    expectElementwise(results, labels);
  });

  it('give the gradients of a group normalisation written with broadcasts that cpu gives', async () => {
    const results = await onCpuAndWasm(() => {
      const w = wave([2, 6, 3, 2], 0.4);
      const f = (x: tf.Tensor, gamma: tf.Tensor) => {
        const mean = tf.mean(x, [1, 3], true);
        const centred = tf.sub(x, mean);
        const invStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), [1, 3], true), 1e-5));
        return tf.sum(tf.mul(tf.mul(tf.mul(centred, invStd), gamma), w));
      };
      return tf.grads(f)([wave([2, 6, 3, 2], 0.1), tf.add(wave([3, 2], 1.3), 1)]);
    });
    // The reductions of the gradient add in another order on wasm: float32 rounding.
    expectElementwise(results, ['d / dx', 'd / dγ'], 1e-5);
  });

  it('are the registered kernels after wasm().init() and leave no buffer on the wasm heap', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      for (const [name] of OPS) expect(kernelFixRegistry.isFixed(tf.getKernel(name, 'wasm')?.kernelFunc), name).toBe(true);
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const before = backend.numDataIds();
      const tensors = tf.memory().numTensors;
      tf.tidy(() => {
        for (const [full, part] of SHAPES) for (const [, op] of OPS) op(wave(full), wave(part, 1)).dataSync();
      });
      expect(backend.numDataIds()).toBe(before);
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});

describe('mergedBroadcastAxes', () => {
  it('drops size-1 axes, merges neighbours that broadcast alike and gives the repeated side’s strides', () => {
    expect(mergedBroadcastAxes([64, 1, 8, 1], [64, 784, 8, 2])).toEqual({ sizes: [64, 784, 8, 2], strides: [8, 0, 1, 0] });
    expect(mergedBroadcastAxes([2, 1, 1, 3, 1], [2, 5, 1, 3, 2])).toEqual({ sizes: [2, 5, 3, 2], strides: [3, 0, 1, 0] });
    expect(mergedBroadcastAxes([1, 1, 4, 5], [2, 3, 4, 5])).toEqual({ sizes: [6, 20], strides: [0, 1] });
    expect(mergedBroadcastAxes([3, 1], [3, 4])).toEqual({ sizes: [3, 4], strides: [1, 0] });
    expect(mergedBroadcastAxes([4], [3, 4])).toEqual({ sizes: [3, 4], strides: [0, 1] });
  });
});
