import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { wasm } from '../backend/wasm.js';
import { convOffsets, describeConv2dCase, randomConv2dCases, referenceFilterGradient, type Conv2dCase } from '../testing/conv2d-cases.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { relativeError } from '../testing/relative-error.js';
import { wave } from '../testing/wave.js';
import { PATCH_BUDGET } from './conv2d-backprop-filter.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

interface HeapCount {
  numDataIds(): number;
}

/** The filter gradient of case `c` for x = wave(x, 0.3) and dy = wave(output shape, 2.1), by the kernel itself. */
function filterGradient(c: Conv2dCase, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): tf.Tensor {
  const o = convOffsets(tf, c);
  const x = wave(c.x, 0.3);
  const dy = wave([c.x[0], o.outHeight, o.outWidth, c.filter[3]], 2.1);
  const toNchw = (t: tf.Tensor) => tf.transpose(t, [0, 3, 1, 2]);
  const inputs = dataFormat === 'NHWC' ? { x, dy } : { x: toNchw(x), dy: toNchw(dy) };
  return tf.engine().runKernel('Conv2DBackpropFilter', inputs, { strides: c.strides, pad: c.pad, dataFormat, filterShape: c.filter, dilations: c.dilations }) as tf.Tensor;
}

/**
 * Expects the kernel's filter gradient of case `c` within `rtol` (relative to its largest value)
 * of the float64 definition: 1e-5 for sums of a few hundred float32 products; sums of tens of
 * thousands, accumulated by XNNPACK in float32, need 1e-4.
 */
async function expectDefinition(c: Conv2dCase, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', rtol = 1e-5): Promise<void> {
  const o = convOffsets(tf, c);
  const [x, dy, got] = tf.tidy(() => [wave(c.x, 0.3), wave([c.x[0], o.outHeight, o.outWidth, c.filter[3]], 2.1), filterGradient(c, dataFormat)]) as tf.Tensor[];
  const expected = referenceFilterGradient((await x!.data()) as Float32Array, (await dy!.data()) as Float32Array, c, o);
  const actual = Array.from(await got!.data());
  tf.dispose([x!, dy!, got!]);
  expect(relativeError(actual, Array.from(expected)), `${dataFormat} ${describeConv2dCase(c)}`).toBeLessThanOrEqual(rtol);
}

async function onWasm<T>(run: () => Promise<T> | T): Promise<T> {
  const projectBackend = tf.getBackend();
  try {
    await wasm().init();
    return await run();
  } finally {
    await tf.setBackend(projectBackend);
  }
}

describe('Conv2DBackpropFilter on wasm (stock: missing)', () => {
  // Float32 sums of at most a few hundred products, accumulated in a different order (XNNPACK
  // blocks) than cpu's float64 loop: well within the package's 1e-4 relative tolerance.
  const cases = randomConv2dCases(11, 24);

  it('matches cpu on 24 random shapes, strides 1-3 and same/valid/numeric/explicit paddings', async () => {
    const results = await onCpuAndWasm(() => cases.map((c) => filterGradient(c)));
    expectAgreement(results, cases.map(describeConv2dCase));
  });

  it('follows its definition with channels-first (NCHW) inputs (the cpu kernel reads them out of range)', async () => {
    await onWasm(async () => {
      for (const c of cases.slice(0, 8)) await expectDefinition(c, 'NCHW');
    });
  });

  it('gives the gradients of tf.conv2d, tf.fused.conv2d and tf.conv2dTranspose that cpu gives', async () => {
    const results = await onCpuAndWasm(() => {
      const x = wave([2, 9, 8, 3], 0.4);
      const w = wave([3, 3, 3, 4], 1.1);
      const plain = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([x, w]);
      const bias = wave([4], 2);
      const fused = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: 1, pad: 'valid', bias, activation: 'relu' }))),
      )([x, w]);
      const small = wave([2, 4, 4, 4], 0.8);
      const transposed = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 8, 8, 3], 2, 'same'))),
      )([small, w]);
      return [...plain, ...fused, ...transposed];
    });
    expectAgreement(results, ['conv2d dx', 'conv2d dw', 'fused dx', 'fused dw', 'conv2dTranspose d input', 'conv2dTranspose dw']);
  });

  // The patch copies take three paths (transposed-patches.ts): stride 1 with output and input of
  // one size joins all images into one run per row of patches; other stride-1 geometries copy
  // one run per output row; larger column strides copy value by value. Each is met here with
  // odd and even sizes (even ones pad 'same' unevenly), 1 to 6 channels, batch 1 and 3.
  const pathCases: Conv2dCase[] = [
    { x: [3, 7, 9, 3], filter: [3, 3, 3, 5], strides: [1, 1], pad: 'same', dilations: [1, 1] },
    { x: [1, 8, 6, 1], filter: [4, 2, 1, 6], strides: [1, 1], pad: 'same', dilations: [1, 1] },
    { x: [3, 5, 5, 6], filter: [5, 5, 6, 1], strides: [1, 1], pad: 'same', dilations: [1, 1] },
    { x: [2, 9, 7, 5], filter: [1, 1, 5, 3], strides: [1, 1], pad: 'same', dilations: [1, 1] },
    { x: [3, 9, 8, 2], filter: [3, 2, 2, 3], strides: [1, 1], pad: 'valid', dilations: [1, 1] },
    { x: [2, 6, 7, 3], filter: [3, 3, 3, 2], strides: [1, 1], pad: [[0, 0], [2, 0], [1, 2], [0, 0]], dilations: [1, 1] },
    { x: [3, 11, 9, 6], filter: [3, 3, 6, 5], strides: [2, 1], pad: 'same', dilations: [1, 1] },
    { x: [1, 11, 9, 4], filter: [3, 3, 4, 6], strides: [2, 2], pad: 'same', dilations: [1, 1] },
    { x: [3, 8, 10, 1], filter: [2, 3, 1, 4], strides: [1, 2], pad: 'valid', dilations: [1, 1] },
  ];

  it('matches cpu on each patch-copy path (joined images, row runs, strided values), and so do the gradients of tf.conv2d', async () => {
    const results = await onCpuAndWasm(() => [
      ...pathCases.map((c) => filterGradient(c)),
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))))([wave([3, 7, 9, 3], 0.4), wave([3, 3, 3, 5], 1.1)]),
    ]);
    expectAgreement(results, [...pathCases.map(describeConv2dCase), 'conv2d dx (stride 1, same)', 'conv2d dw (stride 1, same)']);
  });

  it('follows its definition on the joined-images path with dilations 2 and 3 (cpu ignores them)', async () => {
    await onWasm(async () => {
      await expectDefinition({ x: [3, 9, 8, 3], filter: [3, 3, 3, 2], strides: [1, 1], pad: 'same', dilations: [2, 2] });
      await expectDefinition({ x: [2, 10, 7, 1], filter: [2, 3, 1, 3], strides: [1, 1], pad: 'same', dilations: [3, 2] });
    });
  });

  it('follows its definition with dilations (cpu ignores them), on 12 random shapes', async () => {
    const dilated = randomConv2dCases(5, 12, { dilated: true });
    expect(dilated.some((c) => c.dilations[0] > 1 || c.dilations[1] > 1)).toBe(true);
    await onWasm(async () => {
      for (const c of dilated) await expectDefinition(c);
    });
  });

  it('adds the partial gradients of image groups when the patches of a batch exceed the budget', async () => {
    // 3×3 taps of 8 channels on 28×28 images: 72·784 values of patches per image, so a batch
    // of 75 images is cut into a group of floor(budget / 56 448) = 74 and a group of 1.
    const c: Conv2dCase = { x: [75, 28, 28, 8], filter: [3, 3, 8, 2], strides: [1, 1], pad: 'same', dilations: [1, 1] };
    expect(c.x[0]).toBeGreaterThan(Math.floor(PATCH_BUDGET / (72 * 784)));
    await onWasm(() => expectDefinition(c, 'NHWC', 1e-4));
  });

  it('is registered for wasm by the fixes (tfjs-backend-wasm has none of its own)', async () => {
    await onWasm(() => {
      const config = tf.getKernel('Conv2DBackpropFilter', 'wasm');
      expect(kernelFixRegistry.isFixed(config?.kernelFunc)).toBe(true);
      expect(kernelFixRegistry.stock('Conv2DBackpropFilter')).toBeUndefined();
    });
  });

  it('leaves no buffer behind on the wasm heap', async () => {
    await onWasm(() => {
      const backend = tf.backend() as unknown as HeapCount;
      const before = backend.numDataIds();
      const tensors = tf.memory().numTensors;
      tf.tidy(() => {
        filterGradient(cases[0] as Conv2dCase).dataSync();
        filterGradient(cases[1] as Conv2dCase, 'NCHW').dataSync();
        for (const c of pathCases) filterGradient(c).dataSync();
      });
      expect(backend.numDataIds()).toBe(before);
      expect(tf.memory().numTensors).toBe(tensors);
    });
  });

  it('rejects a dy of the wrong shape, a bad filterShape and int32 inputs, naming the field', async () => {
    await onWasm(() => {
      const x = tf.zeros([1, 5, 5, 2]);
      const dy = tf.zeros([1, 4, 5, 3]);
      const run = (inputs: { x: tf.Tensor; dy: tf.Tensor }, filterShape: unknown) => () =>
        tf.engine().runKernel('Conv2DBackpropFilter', inputs, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape } as unknown as tf.NamedAttrMap);
      expect(run({ x, dy }, [3, 3, 2, 3])).toThrow('dy must have shape [1,5,5,3] (NHWC) for x [1,5,5,2] and filter [3,3,2,3], got [1,4,5,3]');
      expect(run({ x, dy }, [3, 3, 2])).toThrow('filterShape must be 4 positive integers [height, width, inChannels, outChannels], got [3,3,2]');
      const xi = tf.zeros([1, 5, 5, 2], 'int32');
      expect(run({ x: xi, dy }, [3, 3, 2, 3])).toThrow('Conv2DBackpropFilter on wasm: x must be float32, got int32');
      tf.dispose([x, dy, xi]);
    });
  });
});
