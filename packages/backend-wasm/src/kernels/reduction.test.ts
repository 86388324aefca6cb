import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectSameValues } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

type Op = 'sum' | 'mean' | 'max' | 'min' | 'prod';
const OPS: Op[] = ['sum', 'mean', 'max', 'min', 'prod'];

function reduce(op: Op, x: tf.Tensor, axis: number | number[] | null, keepDims: boolean): tf.Tensor {
  const ax = axis ?? undefined;
  switch (op) {
    case 'sum':
      return tf.sum(x, ax, keepDims);
    case 'mean':
      return tf.mean(x, ax, keepDims);
    case 'max':
      return tf.max(x, ax, keepDims);
    case 'min':
      return tf.min(x, ax, keepDims);
    case 'prod':
      return tf.prod(x, ax, keepDims);
  }
}

// Axes that are innermost once size-1 axes are dropped go to the stock kernel; the others are host loops.
const CASES: Array<{ shape: number[]; axis: number | number[] | null }> = [
  { shape: [7], axis: 0 },
  { shape: [37, 5], axis: 0 },
  { shape: [5, 37], axis: 1 },
  { shape: [70, 3], axis: -2 },
  { shape: [4, 3, 5], axis: 0 },
  { shape: [4, 3, 5], axis: 1 },
  { shape: [4, 3, 5], axis: [0, 2] },
  { shape: [4, 3, 5], axis: [0, 1] },
  { shape: [4, 3, 5], axis: [1, 2] },
  { shape: [4, 3, 5], axis: null },
  { shape: [3, 1, 4], axis: 1 },
  { shape: [1, 6], axis: 0 },
  { shape: [6, 1], axis: 0 },
  { shape: [2, 3, 4, 5], axis: [1, 3] },
  { shape: [2, 3, 4, 5], axis: [0, 2] },
  { shape: [2, 3, 4, 5], axis: [0, 3] },
  { shape: [2, 1, 3, 2, 3], axis: [0, 2, 4] },
  { shape: [2, 1, 3, 2, 3], axis: [1, 3] },
  // A group norm's statistics: [n, h, w, groups, channels per group] over h, w and the channels.
  { shape: [3, 4, 5, 4, 2], axis: [1, 2, 4] },
  { shape: [2, 3, 3, 2, 6], axis: [1, 2, 4] },
  { shape: [0, 3], axis: 0 },
  { shape: [0, 3], axis: 1 },
  { shape: [3, 0], axis: 1 },
  { shape: [2, 0, 3], axis: [0, 1] },
];

/**
 * float32 tolerance: the host loops add in float64 in the cpu backend's order (identical sums,
 * see the exact test below), but the cpu backend's Mean divides each term by the count in
 * float32 first (≤ 6e-8 · max|x| per output), and the stock innermost kernels add in float32
 * (≤ n · 6e-8 · max|x| for n terms: ≤ 2e-5 for the 120 terms of |x| ≤ 3 here, far less in
 * practice), an absolute error that stays when a sum cancels to nearly 0. A misplaced or
 * missing term is off by ~0.1 or more.
 */
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

describe('Sum, Mean, Max, Min, Prod on wasm (host loops for non-innermost axes; stock: transpose first)', () => {
  it('match cpu on float32 and int32 for ranks 1-5, several axes, size-1 and empty axes, with and without keepDims', async () => {
    const labels: string[] = [];
    const compute = () =>
      CASES.flatMap((c, i) => {
        const keepDims = i % 2 === 1;
        const x = wave(c.shape, 0.3);
        // Small integers, so that products stay exact in int32.
        const xi = tf.cast(tf.round(tf.mul(x, 3)), 'int32');
        return OPS.flatMap((op) => [reduce(op, x, c.axis, keepDims), reduce(op, xi, c.axis, keepDims)]);
      });
    for (const [i, c] of CASES.entries()) {
      for (const op of OPS) for (const dtype of ['float32', 'int32']) labels.push(`${op} [${c.shape}] axis ${JSON.stringify(c.axis)} keepDims ${i % 2 === 1} ${dtype}`);
    }
    expectSameValues(await onCpuAndWasm(compute), labels, TOLERANCE);
  });

  it('propagate NaN and ±Infinity like cpu', async () => {
    const specials = [NaN, Infinity, -Infinity];
    // Columns 0-2 hold one special each, column 3 holds +Infinity and -Infinity (sum: NaN), columns 4-5 are finite.
    const values = Array.from({ length: 8 * 6 }, (_, i) => {
      const row = Math.floor(i / 6);
      const col = i % 6;
      if (col < 3 && row === 5) return specials[col] as number;
      if (col === 3 && row === 2) return Infinity;
      if (col === 3 && row === 6) return -Infinity;
      return Math.sin(0.731 * i);
    });
    const labels: string[] = [];
    const compute = () => {
      const x = tf.tensor(values, [8, 6]);
      const x3 = tf.reshape(x, [2, 4, 6]);
      const out: tf.Tensor[] = [];
      for (const op of OPS) {
        out.push(reduce(op, x, 0, false), reduce(op, x, 1, false), reduce(op, x3, [0, 1], true), reduce(op, x3, [0, 2], false));
        labels.push(`${op} axis 0`, `${op} axis 1`, `${op} [2,4,6] axes [0,1]`, `${op} [2,4,6] axes [0,2]`);
      }
      return out;
    };
    expectSameValues(await onCpuAndWasm(compute), labels, TOLERANCE);
  });

  it('sum axis 0 of [n, c] float32 exactly as cpu, and wrap int32 sums past 2^31 as cpu does', async () => {
    const results = await onCpuAndWasm(() => {
      const big = tf.tensor([2e9, 1, -2e9, 2e9, 5, -7], [2, 3], 'int32');
      return [tf.sum(wave([513, 64], 0.1), 0), tf.sum(wave([4097, 2], 0.2), 0), tf.sum(big, 0), tf.sum(tf.transpose(big), 1)];
    });
    expectSameValues(results, ['[513, 64] axis 0', '[4097, 2] axis 0', 'int32 [2, 3] axis 0', 'int32 [3, 2] axis 1']);
    expect(results.wasm[2]?.values).toEqual([4e9 | 0, 6, -2e9 - 7]);
  });

  it('gradients of broadcast adds and of means match cpu', async () => {
    const pairs: Array<[number[], number[]]> = [
      [[64, 5], [5]],
      [[2, 3, 4], [4]],
      [[2, 1, 4], [3, 1]],
      [[3, 4], [3, 1]],
    ];
    const labels = pairs.flatMap(([a, b]) => [`d/da [${a}] + [${b}]`, `d/db [${a}] + [${b}]`]);
    const results = await onCpuAndWasm(() =>
      pairs.flatMap(([aShape, bShape]) => {
        const a = wave(aShape, 0.4);
        const b = wave(bShape, 1.3);
        return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.square(tf.add(x, y))))([a, b]);
      }),
    );
    expectSameValues(results, labels, TOLERANCE);
  });

  it('are the registered wasm reductions after wasm().init() and free every buffer they make', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      for (const name of ['Sum', 'Mean', 'Max', 'Min', 'Prod']) {
        const config = tf.getKernel(name, 'wasm');
        expect(kernelFixRegistry.isFixed(config?.kernelFunc), name).toBe(true);
        expect(kernelFixRegistry.stock(name)?.setupFunc, name).toBe(config?.setupFunc);
      }
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const before = backend.numDataIds();
      tf.tidy(() => {
        const x = wave([4, 3, 5]);
        for (const op of OPS) for (const axis of [0, 2, [0, 2], null]) reduce(op, x, axis, op === 'max').dataSync();
      });
      expect(backend.numDataIds()).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
