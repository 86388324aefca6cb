import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';
import { wasm } from '../backend/wasm.js';

interface WasmBackendView {
  numDataIds(): number;
}

describe('Identity and same-dtype Cast on wasm (shared buffers)', () => {
  it('give the same values as cpu, and casts that change the dtype still convert', async () => {
    const results = await onCpuAndWasm(() => {
      const x = wave([3, 4], 0.8);
      return [tf.clone(x), tf.cast(x, 'float32'), tf.cast(tf.mul(x, 5), 'int32'), tf.cast(tf.tensor1d([0, 2, 0], 'int32'), 'bool'), tf.clone(tf.tensor1d([true, false], 'bool'))];
    });
    expectAgreement(results, ['clone', 'cast float32 → float32', 'cast float32 → int32', 'cast int32 → bool (stock: 2 stays 2)', 'clone bool']);
  });

  it('share the buffer and free it only when the last tensor using it is disposed', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const backend = tf.backend() as unknown as WasmBackendView;
      const buffers = backend.numDataIds();
      const x = tf.tensor1d([1, 2, 3]);
      const copy = tf.clone(x);
      const cast = tf.cast(x, 'float32');
      expect(backend.numDataIds()).toBe(buffers + 1); // one buffer for the three tensors
      x.dispose();
      copy.dispose();
      expect(Array.from(await cast.data())).toEqual([1, 2, 3]); // still readable
      cast.dispose();
      expect(backend.numDataIds()).toBe(buffers);
      // A variable that was cloned keeps the clone's values when it is assigned.
      const initial = tf.tensor1d([4, 5]);
      const next = tf.tensor1d([6, 7]);
      const v = tf.variable(initial);
      const snapshot = tf.clone(v);
      v.assign(next);
      expect(Array.from(await snapshot.data())).toEqual([4, 5]);
      expect(Array.from(await v.data())).toEqual([6, 7]);
      tf.dispose([initial, next, v, snapshot]);
      expect(backend.numDataIds()).toBe(buffers);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
