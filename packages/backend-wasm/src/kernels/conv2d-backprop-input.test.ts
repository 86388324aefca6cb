import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../testing/register-gradients.js';
import { wasm } from '../backend/wasm.js';
import { convOffsets, describeConv2dCase, randomConv2dCases, referenceInputGradient, type Conv2dCase } from '../testing/conv2d-cases.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { relativeError } from '../testing/relative-error.js';
import { wave } from '../testing/wave.js';
import { PATCH_BUDGET } from './conv2d-backprop-filter.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

interface HeapCount {
  numDataIds(): number;
}

/** The input gradient of case `c` for dy = wave(output shape, 2.1) and w = wave(filter, 0.7), by the kernel itself. */
function inputGradient(c: Conv2dCase, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): tf.Tensor {
  const o = convOffsets(tf, c);
  const dy = wave([c.x[0], o.outHeight, o.outWidth, c.filter[3]], 2.1);
  const filter = wave(c.filter, 0.7);
  const [n, h, w, ci] = c.x;
  const nchw = dataFormat === 'NCHW';
  return tf.engine().runKernel(
    'Conv2DBackpropInput',
    { dy: nchw ? tf.transpose(dy, [0, 3, 1, 2]) : dy, filter },
    { strides: c.strides, pad: c.pad, dataFormat, inputShape: nchw ? [n, ci, h, w] : c.x, dilations: c.dilations },
  ) as tf.Tensor;
}

/**
 * Expects the kernel's input gradient of case `c` within `rtol` (relative to its largest value)
 * of the float64 definition (read back as NHWC).
 */
async function expectDefinition(c: Conv2dCase, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', rtol = 1e-5): Promise<void> {
  const o = convOffsets(tf, c);
  const [dy, w, got] = tf.tidy(() => {
    const dx = inputGradient(c, dataFormat);
    return [wave([c.x[0], o.outHeight, o.outWidth, c.filter[3]], 2.1), wave(c.filter, 0.7), dataFormat === 'NCHW' ? tf.transpose(dx, [0, 2, 3, 1]) : dx];
  }) as tf.Tensor[];
  const expected = referenceInputGradient((await dy!.data()) as Float32Array, (await w!.data()) as Float32Array, c, o);
  const actual = Array.from(await got!.data());
  tf.dispose([dy!, w!, got!]);
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

describe('Conv2DBackpropInput on wasm (stock: a direct loop, 10x slower)', () => {
  // Float32 sums of at most a few hundred products in another order than cpu's float64 loop.
  const cases = randomConv2dCases(23, 24);

  it('matches cpu on 24 random shapes, strides 1-3 and same/valid/numeric/explicit paddings', async () => {
    expect(cases.some((c) => c.strides[0] === 1 && c.strides[1] === 1)).toBe(true); // the XNNPACK path
    expect(cases.some((c) => c.strides[0] > 1 || c.strides[1] > 1)).toBe(true); // the col2im path
    const results = await onCpuAndWasm(() => cases.map((c) => inputGradient(c)));
    expectAgreement(results, cases.map(describeConv2dCase));
  });

  it('matches cpu through tf.conv2dTranspose and the gradient of tf.conv2d', async () => {
    const results = await onCpuAndWasm(() => {
      const x = wave([2, 9, 8, 3], 0.4);
      const w = wave([3, 3, 3, 4], 1.1);
      const dy = wave([2, 4, 4, 4], 0.8);
      return [
        tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 8, 3], 2, 'same'),
        tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 6, 6, 3], 1, 'valid'),
        tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'))))(x),
        tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, [2, 1], [[0, 0], [2, 1], [0, 2], [0, 0]]))))(x),
        tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, [[0, 0], [2, 0], [0, 1], [0, 0]]))))(x),
      ];
    });
    expectAgreement(results, ['conv2dTranspose stride 2 same', 'conv2dTranspose stride 1 valid', 'd/dx conv2d stride 1', 'd/dx conv2d strides [2, 1] explicit', 'd/dx conv2d stride 1 explicit, uneven']);
  });

  it('follows its definition with dilations (cpu ignores them) and with channels-first inputs', async () => {
    const dilated = randomConv2dCases(7, 12, { dilated: true });
    expect(dilated.some((c) => c.dilations[0] > 1 || c.dilations[1] > 1)).toBe(true);
    await onWasm(async () => {
      for (const c of dilated) await expectDefinition(c);
      for (const c of cases.slice(0, 8)) await expectDefinition(c, 'NCHW');
    });
  });

  it('at stride 1, falls back to col2im when an explicit padding is wider than the filter', async () => {
    // A 1×1 filter with 2 rows of padding: the flipped convolution would need a padding of −2.
    const c: Conv2dCase = { x: [2, 5, 4, 3], filter: [1, 1, 3, 2], strides: [1, 1], pad: [[0, 0], [2, 0], [1, 1], [0, 0]], dilations: [1, 1] };
    const results = await onCpuAndWasm(() => inputGradient(c));
    expectAgreement(results, [describeConv2dCase(c)]);
  });

  it('adds the patches of image groups when the patches of a batch exceed the budget', async () => {
    // 5×5 taps of 16 channels at stride 2 on 28×28 images: 400·196 values of patches per image,
    // so 55 images are cut into a group of floor(budget / 78 400) = 53 and a group of 2.
    const c: Conv2dCase = { x: [55, 28, 28, 16], filter: [5, 5, 16, 2], strides: [2, 2], pad: 'same', dilations: [1, 1] };
    expect(c.x[0]).toBeGreaterThan(Math.floor(PATCH_BUDGET / (400 * 196)));
    await onWasm(() => expectDefinition(c));
  });

  it('replaces the stock kernel and keeps its setup', async () => {
    await onWasm(() => {
      const config = tf.getKernel('Conv2DBackpropInput', 'wasm');
      expect(kernelFixRegistry.isFixed(config?.kernelFunc)).toBe(true);
      const stock = kernelFixRegistry.stock('Conv2DBackpropInput');
      expect(stock).toBeDefined();
      expect(config?.setupFunc).toBe(stock?.setupFunc);
    });
  });

  it('leaves no buffer behind on the wasm heap, on both paths and with NCHW', async () => {
    await onWasm(() => {
      const backend = tf.backend() as unknown as HeapCount;
      const before = backend.numDataIds();
      tf.tidy(() => {
        for (const c of cases.slice(0, 6)) inputGradient(c).dataSync();
        inputGradient(cases[0] as Conv2dCase, 'NCHW').dataSync();
      });
      expect(backend.numDataIds()).toBe(before);
    });
  });

  it('rejects a dy of the wrong shape, a bad inputShape and int32 inputs, naming the field', async () => {
    await onWasm(() => {
      const dy = tf.zeros([1, 4, 5, 3]);
      const filter = tf.zeros([3, 3, 2, 3]);
      const run = (inputs: { dy: tf.Tensor; filter: tf.Tensor }, inputShape: unknown) => () =>
        tf.engine().runKernel('Conv2DBackpropInput', inputs, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape } as unknown as tf.NamedAttrMap);
      expect(run({ dy, filter }, [1, 5, 5, 2])).toThrow('dy must have shape [1,5,5,3] (NHWC) for inputShape [1,5,5,2] and filter [3,3,2,3], got [1,4,5,3]');
      expect(run({ dy, filter }, [1, 5, 5])).toThrow('Conv2DBackpropInput on wasm: inputShape must be 4 non-negative integers, got [1,5,5]');
      const filterInt = tf.zeros([3, 3, 2, 3], 'int32');
      expect(run({ dy, filter: filterInt }, [1, 4, 5, 2])).toThrow('Conv2DBackpropInput on wasm: filter must be float32, got int32');
      tf.dispose([dy, filter, filterInt]);
    });
  });
});
