import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';

const range = (n: number, dtype: 'int32' | 'float32' | 'bool') =>
  dtype === 'bool'
    ? tf.tensor(Array.from({ length: n }, (_, i) => i % 3 === 0), [n], 'bool')
    : tf.tensor(Array.from({ length: n }, (_, i) => i - 5), [n], dtype);

describe('StridedSlice on wasm (stock: strided int32/bool slices come back as float32 bit patterns)', () => {
  const slices = (dtype: 'int32' | 'float32' | 'bool') => [
    tf.stridedSlice(tf.reshape(range(24, dtype), [4, 6, 1]), [0, 1, 0], [4, 6, 2], [2, 2, 1]),
    tf.stridedSlice(range(10, dtype), [0], [10], [3]),
    tf.stridedSlice(range(10, dtype), [8], [0], [-2]),
    tf.stridedSlice(tf.reshape(range(12, dtype), [3, 4]), [0, 0], [3, 4], [1, 1]),
  ];
  it('matches cpu exactly, dtype included, for int32, bool and float32', async () => {
    for (const dtype of ['int32', 'bool', 'float32'] as const) {
      const results = await onCpuAndWasm(() => slices(dtype));
      expectAgreement(results, [0, 1, 2, 3].map((i) => `${dtype} slice ${i}`), 0);
    }
  });

  it('the stock kernel fails this comparison (so the test above can fail)', async () => {
    const results = await onCpuAndWasm(() => tf.stridedSlice(range(10, 'int32'), [0], [10], [3]), { stockKernel: 'StridedSlice' });
    expect(results.wasm[0]?.dtype).not.toBe(results.cpu[0]?.dtype);
  });
});
