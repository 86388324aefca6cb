import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wasm } from '../backend/wasm.js';
import { expectAgreement } from '../testing/expect-agreement.js';
import { onCpuAndWasm } from '../testing/on-cpu-and-wasm.js';
import { wave } from '../testing/wave.js';

/** Group normalisation of NHWC h over (height, width, channels of a group), from moments, reshape and rsqrt. */
function groupNorm(h: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [n, height, width, c] = h.shape;
  const grouped = tf.reshape(h, [n, height, width, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
  return tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, 1e-5))), [n, height, width, c]);
}

const silu = (h: tf.Tensor4D): tf.Tensor4D => tf.mul(h, tf.sigmoid(h));

/**
 * A small U-Net-like graph of every op an image network of this project trains with: 3×3
 * convolutions (stride 1 and 2, same, valid and explicit padding), group norm, SiLU, max and
 * average pooling, nearest and bilinear upsampling, concat (skip connection), pad, slice and a
 * transposed convolution. Loss: the sum of squares of its output.
 */
function imageNetworkLoss(x: tf.Tensor4D, p: Record<string, tf.Tensor>): tf.Scalar {
  const conv = (h: tf.Tensor4D, w: tf.Tensor, strides: number, pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding) => tf.conv2d(h, w as tf.Tensor4D, strides, pad);
  const h1 = silu(groupNorm(tf.add(conv(x, p.w1!, 1, 'same'), p.b1!), 2)); // [1, 8, 8, 4]
  const h2 = silu(conv(h1, p.w2!, 2, 'same')); // [1, 4, 4, 6]
  const pooled = tf.maxPool(h2, 2, 1, 'same'); // [1, 4, 4, 6]
  const up = tf.image.resizeNearestNeighbor(pooled, [8, 8]); // [1, 8, 8, 6]
  const skip = tf.concat([up, h1], 3); // [1, 8, 8, 10]
  const padded = tf.slice(tf.pad(skip, [[0, 0], [1, 1], [1, 1], [0, 0]]), [0, 1, 0, 0], [1, 9, 10, 10]);
  const h3 = conv(padded, p.w3!, 1, [[0, 0], [1, 0], [0, 1], [0, 0]]); // [1, 8, 9, 4] after valid-like explicit padding
  const averaged = tf.avgPool(tf.sigmoid(h3), 2, 2, 'valid'); // [1, 4, 4, 4]
  const smooth = tf.image.resizeBilinear(averaged, [6, 6]); // [1, 6, 6, 4]
  const out = tf.conv2dTranspose(smooth, p.w4 as tf.Tensor4D, [1, 12, 12, 1], 2, 'same'); // [1, 12, 12, 1]
  return tf.sum(tf.square(out));
}

describe('gradients of an image network on wasm', () => {
  // One image: the cpu backend's ResizeNearestNeighborGrad (tfjs-backend-cpu 4.22) is wrong for
  // a batch of several (see the next test).
  it('match cpu for every parameter and the input', async () => {
    const names = ['x', 'w1', 'b1', 'w2', 'w3', 'w4'];
    const results = await onCpuAndWasm(() => {
      const shapes: Record<string, number[]> = { w1: [3, 3, 1, 4], b1: [4], w2: [3, 3, 4, 6], w3: [3, 3, 10, 4], w4: [3, 3, 1, 4] };
      const params = Object.fromEntries(Object.entries(shapes).map(([name, shape], i) => [name, tf.mul(wave(shape, i + 0.5), 0.5)]));
      const x = wave([1, 8, 8, 1], 0.1) as tf.Tensor4D;
      const order = names.slice(1);
      const grads = tf.grads((xs: tf.Tensor, ...ws: tf.Tensor[]) => imageNetworkLoss(xs as tf.Tensor4D, Object.fromEntries(order.map((n, i) => [n, ws[i]!]))))([x, ...order.map((n) => params[n]!)]);
      return grads;
    });
    expect(results.wasm).toHaveLength(names.length);
    expectAgreement(results, names.map((n) => `d loss / d ${n}`));
  });

  it('through nearest upsampling of a batch follow the definition (the cpu kernel mixes up the images of a batch)', async () => {
    // y[b, r, c] = x[b, floor(r / 2), floor(c / 2)] (2x upsampling), so d⟨y, dy⟩/dx[b, i, j] is the
    // sum of dy over the 2×2 block of (i, j) in the same image b.
    const projectBackend = tf.getBackend();
    try {
      await wasm().init();
      const x = wave([3, 3, 2, 2], 0.3);
      const dy = wave([3, 6, 4, 2], 1.7);
      const grad = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [6, 4]), dy)))(x));
      const got = Array.from(await grad.data());
      const dyValues = await dy.data();
      const expected = new Array<number>(3 * 3 * 2 * 2).fill(0);
      for (let b = 0; b < 3; b++)
        for (let r = 0; r < 6; r++)
          for (let c = 0; c < 4; c++)
            for (let d = 0; d < 2; d++) expected[((b * 3 + (r >> 1)) * 2 + (c >> 1)) * 2 + d]! += dyValues[((b * 6 + r) * 4 + c) * 2 + d]!;
      got.forEach((v, i) => expect(v, `dx[${i}]`).toBeCloseTo(expected[i]!, 5));
      tf.dispose([x, dy, grad]);
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
