import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { convOffsets, describeConv2dCase, randomConv2dCases, referenceFilterGradient, referenceInputGradient, type Conv2dCase } from '../testing/conv2d-cases.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { relativeError } from '../testing/relative-error.js';
import { wave } from '../testing/wave.js';
import { kernelFixRegistry } from './kernel-fix-registry.js';

interface HeapCount {
  numDataIds(): number;
}

const NAMES = ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'];

/**
 * Both depthwise gradients of case `c` read as a depthwise convolution: filter [kh, kw, C, M]
 * with M = c.filter[3] (the channel multiplier), dy [batch, outHeight, outWidth, C·M].
 */
function depthwiseGradients(c: Conv2dCase): tf.Tensor[] {
  const o = convOffsets(tf, c);
  const x = wave(c.x, 0.3);
  const filter = wave(c.filter, 0.7);
  const dy = wave([c.x[0], o.outHeight, o.outWidth, c.filter[2] * c.filter[3]], 2.1);
  const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations };
  return [
    tf.engine().runKernel(NAMES[0]!, { x, dy }, { ...attrs, filterShape: c.filter }) as tf.Tensor,
    tf.engine().runKernel(NAMES[1]!, { dy, filter }, { ...attrs, inputShape: c.x }) as tf.Tensor,
  ];
}

describe('depthwise convolution gradients on wasm (stock: missing)', () => {
  // Float32 values summed in float64 by both backends, in different orders.
  it('match cpu on 16 random shapes with strides, paddings and channel multipliers', async () => {
    const cases = randomConv2dCases(31, 16);
    const results = await onCpuAndWasm(() => cases.flatMap(depthwiseGradients));
    expectAgreement(results, cases.flatMap((c) => [`dw ${describeConv2dCase(c)}`, `dx ${describeConv2dCase(c)}`]), 1e-6);
  });

  it('follow their definition with dilations (the cpu kernels ignore them), on 8 random shapes', async () => {
    // Channel c of a depthwise convolution is an ordinary convolution of x[..., c] by w[:, :, c, :]
    // giving dy[..., c·M .. c·M + M − 1]: checked per channel against the float64 definitions.
    const cases = randomConv2dCases(37, 8, { dilated: true });
    expect(cases.some((c) => c.dilations[0] > 1 || c.dilations[1] > 1)).toBe(true);
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      for (const c of cases) {
        const o = convOffsets(tf, c);
        const [N, H, W, C] = c.x;
        const [KH, KW, , M] = c.filter;
        const tensors = tf.tidy(() => [...depthwiseGradients(c), wave(c.x, 0.3), wave(c.filter, 0.7), wave([N, o.outHeight, o.outWidth, C * M], 2.1)]);
        const [dw, dx, x, w, dy] = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
        tf.dispose(tensors);
        const pick = (values: Float32Array, pixels: number, width: number, from: number, count: number) =>
          Float32Array.from({ length: pixels * count }, (_, i) => values[Math.floor(i / count) * width + from + (i % count)] as number);
        for (let ch = 0; ch < C; ch++) {
          const single: Conv2dCase = { ...c, x: [N, H, W, 1], filter: [KH, KW, 1, M] };
          const xc = pick(x!, N * H * W, C, ch, 1);
          const dyc = pick(dy!, N * o.outHeight * o.outWidth, C * M, ch * M, M);
          const wc = pick(w!, KH * KW, C * M, ch * M, M);
          const dwExpected = Array.from(referenceFilterGradient(xc, dyc, single, o));
          const dxExpected = Array.from(referenceInputGradient(dyc, wc, single, o));
          const label = `channel ${ch} of ${describeConv2dCase(c)}`;
          expect(relativeError(Array.from(pick(dw!, KH * KW, C * M, ch * M, M)), dwExpected), `dw ${label}`).toBeLessThanOrEqual(1e-6);
          expect(relativeError(Array.from(pick(dx!, N * H * W, C, ch, 1)), dxExpected), `dx ${label}`).toBeLessThanOrEqual(1e-6);
        }
      }
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('give the gradients of tf.depthwiseConv2d that cpu gives', async () => {
    const results = await onCpuAndWasm(() =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'))))([wave([2, 9, 8, 3], 0.4), wave([3, 3, 3, 2], 1.1)]),
    );
    expectAgreement(results, ['d/dx', 'd/dw'], 1e-5);
  });

  it('are registered for wasm by the fixes and leave no buffer behind on the heap', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      for (const name of NAMES) {
        expect(kernelFixRegistry.isFixed(tf.getKernel(name, 'wasm')?.kernelFunc), name).toBe(true);
        expect(kernelFixRegistry.stock(name), name).toBeUndefined();
      }
      const backend = tf.backend() as unknown as HeapCount;
      const before = backend.numDataIds();
      tf.tidy(() => {
        for (const c of randomConv2dCases(41, 4)) for (const t of depthwiseGradients(c)) t.dataSync();
      });
      expect(backend.numDataIds()).toBe(before);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });

  it('reject a dy of the wrong shape, naming the shapes', async () => {
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const x = tf.zeros([1, 5, 5, 2]);
      const dy = tf.zeros([1, 5, 5, 3]);
      const filter = tf.zeros([3, 3, 2, 2]);
      const attrs = { strides: 1, pad: 'same', dilations: 1 };
      expect(() => tf.engine().runKernel(NAMES[0]!, { x, dy }, { ...attrs, filterShape: [3, 3, 2, 2] })).toThrow(
        'DepthwiseConv2dNativeBackpropFilter on wasm: dy must have shape [1,5,5,4] for x [1,5,5,2] and filter [3,3,2,2], got [1,5,5,3]',
      );
      expect(() => tf.engine().runKernel(NAMES[1]!, { dy, filter }, { ...attrs, inputShape: [1, 5, 5, 2] })).toThrow(
        'DepthwiseConv2dNativeBackpropInput on wasm: dy must have shape [1,5,5,4] for inputShape [1,5,5,2] and filter [3,3,2,2], got [1,5,5,3]',
      );
      tf.dispose([x, dy, filter]);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
