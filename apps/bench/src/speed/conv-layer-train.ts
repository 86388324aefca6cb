// The speed case `conv-layer-train`: forward + backward of a stack of 3×3 convolutions at the
// shapes of a small MNIST U-Net, batch 64, NHWC:
//   x [64, 28, 28, 1] → conv 1→32, SiLU → conv 32→32, SiLU → 2×2 average pool → conv 32→64 (14×14), SiLU,
// loss = mean(y²), gradients of every filter and bias (tf.variableGrads), no optimizer step.
// Its PyTorch twin (reference/conv-layer-train.py) runs the same stack in NCHW.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';

/** Filter shapes [kh, kw, in, out] of the stack, in order. */
export const CONV_LAYER_STACK: ReadonlyArray<[number, number, number, number]> = [
  [3, 3, 1, 32],
  [3, 3, 32, 32],
  [3, 3, 32, 64],
];

/** Batch size of the case (the U-Net target's). */
export const CONV_LAYER_BATCH = 64;

/** Training steps timed per repeat: a tenth of the MLP cases' (at least 2), a step costs some 100 of theirs. */
export function convLayerSteps(trainSteps: number): number {
  return Math.max(2, Math.ceil(trainSteps / 10));
}

/**
 * Why the case cannot run on the active backend, or undefined: its filter gradient needs a
 * Conv2DBackpropFilter kernel (stock tfjs-backend-wasm 4.22 has none), and the cpu backend's
 * convolutions are scalar JavaScript loops that take seconds per step at these shapes.
 */
export function convLayerSkipReason(): string | undefined {
  const backend = tf.getBackend();
  if (backend === 'cpu') return 'the cpu backend convolves in scalar JavaScript loops: seconds per step at these shapes';
  if (tf.getKernel('Conv2DBackpropFilter', backend) === undefined) return `no Conv2DBackpropFilter kernel on '${backend}'`;
  return undefined;
}

const silu = (h: tf.Tensor4D): tf.Tensor4D => tf.mul(h, tf.sigmoid(h));

/** Steps per second of forward + backward of the stack, one rate per repeat (medians are taken by the caller). */
export async function convLayerTrainRate(settings: { repeats: number; trainSteps: number }): Promise<number[]> {
  const rng = createRng(3);
  // Glorot-uniform filters, zero biases (the defaults of pfm's dense layers).
  // Created inside tidy, which keeps the variables and frees their initial values.
  const filters = CONV_LAYER_STACK.map(([kh, kw, cin, cout], i) =>
    tf.tidy(() => {
      const limit = Math.sqrt(6 / (kh * kw * (cin + cout)));
      return tf.variable(tf.sub(tf.mul(rng.fold(i).uniform([kh, kw, cin, cout]), 2 * limit), limit), true, `conv-layer-train/w${i}`);
    }),
  );
  const biases = CONV_LAYER_STACK.map(([, , , cout], i) => tf.tidy(() => tf.variable(tf.zeros([cout]), true, `conv-layer-train/b${i}`)));
  const variables = [...filters, ...biases];
  const layer = (h: tf.Tensor4D, i: number) => silu(tf.add(tf.conv2d(h, filters[i] as tf.Tensor4D, 1, 'same'), biases[i] as tf.Tensor));
  const step = (i: number) =>
    tf.tidy(() => {
      const x = rng.fold(1000 + i).uniform([CONV_LAYER_BATCH, 28, 28, 1]) as tf.Tensor4D;
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.avgPool(layer(layer(x, 0), 1), 2, 2, 'valid');
        return tf.mean(tf.square(layer(h, 2)));
      }, variables);
      // Read one value so that every kernel has run (the wasm and cpu kernels are synchronous).
      grads[filters[0]!.name]!.dataSync();
      value.dispose();
    });
  const steps = convLayerSteps(settings.trainSteps);
  const rates: number[] = [];
  try {
    for (let i = 0; i < 2; i++) step(i); // warm-up: allocator, XNNPACK operators
    for (let r = 0; r < settings.repeats; r++) {
      const start = performance.now();
      for (let i = 0; i < steps; i++) step(10 + r * steps + i);
      rates.push(steps / ((performance.now() - start) / 1000));
    }
  } finally {
    tf.dispose(variables);
  }
  return rates;
}
