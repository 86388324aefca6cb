import * as tf from '@tensorflow/tfjs-core';
import { wasm } from '@pfm/backend-wasm';
import { describe, expect, it } from 'vitest';
import { caseProducts, cnfProductsTable, productFlops, recordProducts } from './cnf-products.js';

describe('the products of a CNF training step, timed alone', () => {
  it('counts 2·m·n·k per product, with transposes and a batch', () => {
    expect(productFlops([{ a: [2, 3], b: [3, 4], transposeA: false, transposeB: false }])).toBe(48);
    expect(productFlops([{ a: [3, 2], b: [4, 3], transposeA: true, transposeB: true }])).toBe(48);
    expect(productFlops([{ a: [5, 2, 3], b: [3, 4], transposeA: false, transposeB: false }])).toBe(240);
  });

  it('records each BatchMatMul with its shapes and transposes, and puts the kernel back', async () => {
    await wasm({ threads: 1 }).init();
    const kernel = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
    const before = tf.memory().numTensors;
    const calls = recordProducts(() =>
      tf.tidy(() => {
        const a = tf.ones([2, 3]);
        tf.matMul(a, tf.ones([3, 4]));
        tf.matMul(a, tf.ones([5, 3]), false, true);
      }),
    );
    expect(calls).toEqual([
      { a: [2, 3], b: [3, 4], transposeA: false, transposeB: false },
      { a: [2, 3], b: [5, 3], transposeA: false, transposeB: true },
    ]);
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(kernel);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('finds the three products per dense layer of a flow-matching step (value, dW, dx of 4 layers), without leaking tensors', async () => {
    await wasm({ threads: 1 }).init();
    const before = tf.memory().numTensors;
    const result = caseProducts('train-fm-moons', 1, 1);
    expect(result.products).toBe(12);
    expect(result.shapes['[512, 3]·[3, 64]']).toBe(1);
    expect(result.productSeconds).toBeGreaterThan(0);
    expect(result.stepSeconds).toBeGreaterThan(0);
    expect(cnfProductsTable([result])).toMatch(/^\| case \| products per step/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
