import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { fixedBatchMatMul } from './batch-mat-mul.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

const FLAGS: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

// Stored shape of an operand whose product shape is [...batch, rows, cols].
function stored(batch: number[], rows: number, cols: number, transposed: boolean): number[] {
  return transposed ? [...batch, cols, rows] : [...batch, rows, cols];
}

describe('BatchMatMul on wasm (stock: 10-20x slower with a transpose flag)', () => {
  it('matches cpu for every transpose pair, on matrices, batches and broadcast batches', async () => {
    const shapes: Array<{ batchA: number[]; batchB: number[]; m: number; k: number; n: number }> = [
      { batchA: [], batchB: [], m: 7, k: 5, n: 3 },
      { batchA: [], batchB: [], m: 64, k: 48, n: 33 },
      { batchA: [3], batchB: [3], m: 4, k: 6, n: 5 },
      { batchA: [1], batchB: [2], m: 4, k: 6, n: 5 },
      { batchA: [2], batchB: [1], m: 4, k: 6, n: 5 },
      { batchA: [2, 2], batchB: [2, 2], m: 3, k: 2, n: 4 },
      { batchA: [], batchB: [], m: 1, k: 9, n: 1 },
    ];
    const cases: Array<() => tf.Tensor> = [];
    const labels: string[] = [];
    for (const s of shapes) {
      for (const [transposeA, transposeB] of FLAGS) {
        cases.push(() =>
          tf.matMul(wave(stored(s.batchA, s.m, s.k, transposeA), 0.3), wave(stored(s.batchB, s.k, s.n, transposeB), 1.9), transposeA, transposeB),
        );
        labels.push(`[${s.batchA}]x[${s.batchB}] ${s.m}x${s.k}x${s.n} transposeA=${transposeA} transposeB=${transposeB}`);
      }
    }
    expectAgreement(await onCpuAndWasm(() => cases.map((c) => c())), labels);
  });

  it('gradients of tf.matMul (which multiply by transposes) match cpu', async () => {
    const cases: Array<() => tf.Tensor[]> = [];
    const labels: string[] = [];
    for (const [transposeA, transposeB] of FLAGS) {
      cases.push(() => {
        const a = wave(stored([2], 5, 3, transposeA), 0.2);
        const b = wave(stored([2], 3, 4, transposeB), 1.2);
        const weights = wave([2, 5, 4], 2.2);
        return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), weights)))([a, b]);
      });
      labels.push(`d/da transposeA=${transposeA} transposeB=${transposeB}`, `d/db transposeA=${transposeA} transposeB=${transposeB}`);
    }
    expectAgreement(await onCpuAndWasm(() => cases.flatMap((c) => c())), labels);
  });

  it('hands the stock kernel materialised transposes and never a transpose flag', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const stock = kernelFixRegistry.stock('BatchMatMul');
      expect(stock).toBeDefined();
      const seen: Array<{ attrs: tf.NamedAttrMap; a: number[]; b: number[] }> = [];
      const spy: tf.KernelFunc = (args) => {
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        seen.push({ attrs: { ...args.attrs }, a: [...a.shape], b: [...b.shape] });
        return (stock as tf.KernelConfig).kernelFunc(args);
      };
      const kernel = fixedBatchMatMul(spy);
      const backend = tf.backend();
      const a = wave([2, 3, 5], 0.1); // op(a) = a^T: [2, 5, 3]
      const b = wave([2, 4, 3], 0.6); // op(b) = b^T: [2, 3, 4]
      const out = kernel({ inputs: { a, b }, backend, attrs: { transposeA: true, transposeB: true } }) as tf.TensorInfo;
      const product = tf.engine().makeTensorFromTensorInfo(out);
      const expected = tf.matMul(a, b, true, true);
      expect(product.shape).toEqual([2, 5, 4]);
      expect(Array.from(product.dataSync())).toEqual(Array.from(expected.dataSync()));
      expect(seen).toEqual([{ attrs: { transposeA: false, transposeB: false }, a: [2, 5, 3], b: [2, 3, 4] }]);
      tf.dispose([a, b, product, expected]);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('multiplies by one buffer under two shapes: a [1, 32] weight, then its reshape and its transpose to [32, 1]', async () => {
    // The stock kernel caches the packed right operand by buffer id: the second product used the
    // [1, 32] packing for a [32, 1] operand and aborted the wasm module. A one-input layer's
    // backward pass does this (its weight's transpose shares the buffer under the new shape).
    const results = await onCpuAndWasm(() => {
      const w = wave([1, 32], 0.7);
      const x = wave([512, 1], 0.3);
      const dy = wave([512, 32], 1.1);
      return [
        tf.matMul(x, w),
        tf.matMul(dy, tf.reshape(w, [32, 1])),
        tf.matMul(dy, tf.transpose(w)),
        tf.matMul(dy, w, false, true),
        tf.fused.matMul({ a: dy, b: tf.reshape(w, [32, 1]), bias: tf.ones([1]) }),
        ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), dy)))([x, w]),
      ];
    });
    expectAgreement(results, ['x·w', 'dy·reshape(w)', 'dy·transpose(w)', 'dy·wᵀ (flag)', 'fused dy·reshape(w) + 1', 'd/dx', 'd/dw']);
  });

  it('reports mismatched inner dimensions with the caller’s flags', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const a = tf.zeros([3, 4]);
      const b = tf.zeros([3, 5]);
      expect(() => tf.matMul(a, b, false, true)).toThrow(/inner shapes \(4\) and \(5\).*transposeA=false and transposeB=true/);
      tf.dispose([a, b]);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
