import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { expectSameValues } from '../testing/expect-same-values.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

// A wave with NaN, ±Infinity and -0 planted every few values.
function withSpecials(shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const specials = [NaN, Infinity, -Infinity, -0];
  return tf.tensor(
    Float32Array.from({ length: size }, (_, i) => (i % 5 === 2 ? (specials[(i / 5) | 0 % 4] as number) : Math.sin(0.731 * i))),
    shape,
    'float32',
  );
}

const dtypes = ['float32', 'int32', 'bool'] as const;

function input(shape: number[], dtype: (typeof dtypes)[number]): tf.Tensor {
  if (dtype === 'float32') return withSpecials(shape);
  const x = wave(shape, 0.4);
  return dtype === 'int32' ? tf.cast(tf.round(tf.mul(x, 1000)), 'int32') : tf.greater(x, 0);
}

const CASES: Array<{ shape: number[]; perms: number[][] }> = [
  { shape: [7], perms: [[0]] },
  { shape: [3, 5], perms: [[1, 0], [0, 1]] },
  { shape: [70, 130], perms: [[1, 0]] },
  { shape: [4097, 2], perms: [[1, 0]] },
  { shape: [1, 6], perms: [[1, 0]] },
  { shape: [0, 4], perms: [[1, 0]] },
  { shape: [2, 3, 4], perms: [[0, 2, 1], [1, 0, 2], [2, 0, 1], [1, 2, 0], [2, 1, 0]] },
  { shape: [3, 1, 5], perms: [[2, 1, 0], [1, 0, 2], [0, 2, 1]] },
  { shape: [2, 0, 3], perms: [[2, 0, 1]] },
  { shape: [2, 3, 4, 5], perms: [[0, 1, 3, 2], [3, 2, 1, 0], [1, 3, 0, 2], [0, 2, 1, 3]] },
  { shape: [2, 1, 3, 2, 3], perms: [[4, 3, 2, 1, 0], [0, 2, 1, 4, 3], [1, 0, 3, 4, 2]] },
];

describe('Transpose on wasm (host kernel; stock: a generic loop, some 8.5 ns per value)', () => {
  it('matches cpu exactly for ranks 1-5, size-1 and empty axes, float32 (NaN, ±Infinity), int32 and bool', async () => {
    const labels = CASES.flatMap((c) => c.perms.flatMap((perm) => dtypes.map((dtype) => `[${c.shape}] perm [${perm}] ${dtype}`)));
    const results = await onCpuAndWasm(() => CASES.flatMap((c) => c.perms.flatMap((perm) => dtypes.map((dtype) => tf.transpose(input(c.shape, dtype), perm)))));
    expectSameValues(results, labels);
  });

  it('gradients of tf.matMul with transposes and of tf.transpose match cpu', async () => {
    const flags: Array<[boolean, boolean]> = [
      [true, false],
      [false, true],
      [true, true],
    ];
    const results = await onCpuAndWasm(() =>
      flags.flatMap(([transposeA, transposeB]) => {
        const a = wave(transposeA ? [3, 6, 40] : [3, 40, 6], 0.2);
        const b = wave(transposeB ? [3, 9, 6] : [3, 6, 9], 1.1);
        const weights = wave([3, 40, 9], 2.3);
        const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), weights)))([a, b]);
        const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.transpose(x, [2, 0, 1]), wave([a.shape[2] as number, 3, a.shape[1] as number], 0.9))))(a);
        return [da as tf.Tensor, db as tf.Tensor, dx];
      }),
    );
    expectAgreement(
      results,
      flags.flatMap(([ta, tb]) => [`d/da transposeA=${ta} transposeB=${tb}`, `d/db transposeA=${ta} transposeB=${tb}`, `d/dx transpose (${ta},${tb})`]),
    );
  });

  it('is the registered wasm Transpose after wasm().init() and frees every buffer it makes', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const config = tf.getKernel('Transpose', 'wasm');
      expect(kernelFixRegistry.isFixed(config?.kernelFunc)).toBe(true);
      expect(kernelFixRegistry.stock('Transpose')?.setupFunc).toBe(config?.setupFunc);
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const before = backend.numDataIds();
      tf.tidy(() => {
        for (const perm of [[1, 0, 2], [2, 1, 0], [0, 1, 2]]) tf.transpose(wave([4, 1, 3]), perm).dataSync();
      });
      // A permutation that moves nothing shares the input's buffer; disposing both frees it.
      const x = wave([5, 1, 4]);
      const same = tf.transpose(x, [1, 0, 2]);
      expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
      tf.dispose([x, same]);
      expect(backend.numDataIds()).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('is right when allocating its output grows the wasm heap (views are taken after the allocation)', async () => {
    const projectBackend = tf.getBackend();
    const held: tf.Tensor[] = [];
    try {
      await wasm().init();
      const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm;
      // Each new input (one allocation) reuses the space the previous output freed, so the next
      // output needs fresh space: within a few rounds its allocation is the one that grows the heap.
      let grewInKernel = false;
      for (let round = 1; round <= 64 && !grewInKernel; round++) {
        const x = tf.fill([1024, 1024], round);
        held.push(x);
        const before = heap.HEAPU8.buffer.byteLength;
        const y = tf.transpose(x);
        grewInKernel = heap.HEAPU8.buffer.byteLength > before;
        // A view of x taken before the growth would be detached (single-thread build) and read nothing.
        if (grewInKernel) expect(y.dataSync().every((v) => v === round)).toBe(true);
        y.dispose();
      }
      expect(grewInKernel).toBe(true);
    } finally {
      tf.dispose(held);
      await tf.setBackend(projectBackend);
    }
  });

  it('reports a bad perm with the expected one', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const kernel = tf.getKernel('Transpose', 'wasm')?.kernelFunc as tf.KernelFunc;
      const x = tf.zeros([2, 3]);
      expect(() => kernel({ inputs: { x }, backend: tf.backend(), attrs: { perm: [0, 0] } })).toThrow(/perm must be a permutation of 0\.\.1.*got \[0,0\]/);
      x.dispose();
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
