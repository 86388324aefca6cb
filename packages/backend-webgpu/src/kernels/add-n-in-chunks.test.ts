import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { addNInChunks } from './add-n-in-chunks.js';

// A stand-in for the webgpu backend and its stock AddN: tensors are numbers, the stock kernel
// refuses more inputs than the device allows (as the real one silently fails), and every tensor
// it makes is tracked until disposed. The real kernel is compared with cpu in headless Chromium
// (test/webgpu-chromium.test.ts).
function fakeBackend(maxStorageBuffersPerShaderStage: number) {
  const values = new Map<object, number>();
  const calls: number[] = [];
  const backend = {
    device: { limits: { maxStorageBuffersPerShaderStage } },
    disposeData(dataId: object) {
      if (!values.delete(dataId)) throw new Error('disposed twice or unknown');
    },
  };
  const tensor = (value: number): tf.TensorInfo => {
    const dataId = {};
    values.set(dataId, value);
    return { dataId, shape: [], dtype: 'float32' };
  };
  const stock = ((args: { inputs: tf.TensorInfo[] }) => {
    const inputs = args.inputs;
    if (inputs.length + 1 > maxStorageBuffersPerShaderStage) throw new Error(`${inputs.length} inputs exceed the storage-buffer limit`);
    calls.push(inputs.length);
    return tensor(inputs.reduce((sum, t) => sum + values.get(t.dataId)!, 0));
  }) as unknown as tf.KernelConfig['kernelFunc'];
  return { backend, values, calls, tensor, stock };
}

describe('addNInChunks', () => {
  it.each([
    [8, 2, [2]],
    [8, 7, [7]],
    // Seven, then the partial sum and the eighth.
    [8, 8, [7, 2]],
    // Five groups of seven and one of five, then the six partial sums.
    [8, 40, [7, 7, 7, 7, 7, 5, 6]],
    // Three groups of three, the lone tenth passed up; then three partial sums, then two.
    [4, 10, [3, 3, 3, 3, 2]],
  ])('with %i storage buffers sums %i tensors in groups the device allows, and frees the partial sums', (limit, count, expectedCalls) => {
    const fake = fakeBackend(limit);
    const inputs = Array.from({ length: count }, (_, i) => fake.tensor(i + 1));
    const result = addNInChunks(fake.stock)({ inputs: inputs as unknown as tf.NamedTensorInfoMap, backend: fake.backend as never, attrs: {} }) as tf.TensorInfo;
    expect(fake.values.get(result.dataId)).toBe((count * (count + 1)) / 2);
    expect(fake.calls).toEqual(expectedCalls);
    // Only the inputs and the result remain.
    expect(fake.values.size).toBe(count + 1);
  });
});
