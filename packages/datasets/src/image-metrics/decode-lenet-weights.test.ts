import * as tf from '@tensorflow/tfjs-core';
import { createRng, encodeFloat32Base64 } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { decodeLenetWeights } from './decode-lenet-weights.js';
import { lenetForward } from './lenet-forward.js';
import { lenetMnistParameters, lenetMnistWeights } from './lenet-mnist-parameters.js';
import { LENET_PARAMETER_NAMES, LENET_PARAMETER_SHAPES } from './lenet-parameter-shapes.js';
import { mnistSplit } from '../test-support/mnist-split.js';

/** A valid weights file with seeded random values. */
function validFile(): Record<string, unknown> & { parameters: Record<string, unknown>[] } {
  const rng = createRng(1);
  return {
    format: 'pfm-lenet-mnist-weights',
    version: 1,
    seed: 0,
    epochs: 3,
    testImages: 1000,
    testAccuracy: 0.98,
    parameters: LENET_PARAMETER_NAMES.map((name, k) => {
      const count = LENET_PARAMETER_SHAPES[name].reduce((a, b) => a * b, 1);
      return { name, shape: [...LENET_PARAMETER_SHAPES[name]], values: encodeFloat32Base64(rng.fold(k).normalArray(count)) };
    }),
  };
}

describe('decodeLenetWeights', () => {
  it('decodes every parameter with its shape and keeps the training record', () => {
    const file = validFile();
    const { values, record } = decodeLenetWeights(file);
    expect(record).toEqual({ seed: 0, epochs: 3, testAccuracy: 0.98, testImages: 1000 });
    for (const name of LENET_PARAMETER_NAMES) {
      expect(values[name].length, name).toBe(LENET_PARAMETER_SHAPES[name].reduce((a, b) => a * b, 1));
    }
    expect(values.dense3Bias[0]).toBe(createRng(1).fold(9).normalArray(10)[0]);
  });

  it('rejects each malformed field with its name, value and what was expected', () => {
    const cases: [(f: ReturnType<typeof validFile>) => unknown, RegExp][] = [
      [() => [], /the file is "an array", expected a JSON object/],
      [(f) => ({ ...f, format: 'onnx' }), /format is "onnx", expected "pfm-lenet-mnist-weights"/],
      [(f) => ({ ...f, version: 2 }), /version is 2, expected 1/],
      [(f) => ({ ...f, epochs: -1 }), /epochs is -1, expected a non-negative integer/],
      [(f) => ({ ...f, testAccuracy: 1.5 }), /testAccuracy is 1.5, expected a number in \[0, 1\]/],
      [(f) => ({ ...f, parameters: f.parameters.slice(1) }), /parameters.length is 9, expected 10 \(conv1Kernel, /],
      [(f) => ({ ...f, parameters: [f.parameters[1], f.parameters[0], ...f.parameters.slice(2)] }), /parameters\[0\].name is "conv1Bias", expected "conv1Kernel"/],
      [
        (f) => ({ ...f, parameters: f.parameters.map((p, k) => (k === 4 ? { ...p, shape: [256, 120] } : p)) }),
        /parameters\[4\].shape \(dense1Kernel\) is \[256,120\], expected \[400,120\]/,
      ],
      [
        (f) => ({ ...f, parameters: f.parameters.map((p, k) => (k === 9 ? { ...p, values: encodeFloat32Base64(new Float32Array(9)) } : p)) }),
        /parameters\[9\].values \(dense3Bias\): base64: 48 characters, expected 56 for 10 float32 values/,
      ],
      [
        (f) => ({ ...f, parameters: f.parameters.map((p, k) => (k === 9 ? { ...p, values: encodeFloat32Base64(new Float32Array(10).fill(NaN)) } : p)) }),
        /parameters\[9\].values\[0\] \(dense3Bias\) is "NaN", expected a finite number/,
      ],
    ];
    for (const [mutate, message] of cases) expect(() => decodeLenetWeights(mutate(validFile()))).toThrow(message);
  });
});

describe('the shipped LeNet weights', () => {
  it('decode, record ≥ 97% test accuracy, and reproduce it on the 1,000 test digits', () => {
    const { record } = lenetMnistWeights();
    expect(record.testImages).toBe(1000);
    expect(record.testAccuracy).toBeGreaterThanOrEqual(0.97);
    const { test } = mnistSplit();
    const before = tf.memory().numTensors;
    const predicted = tf.tidy(() => tf.argMax(lenetForward(lenetMnistParameters(), tf.tensor2d(test.images, [test.n, 784])).logits, 1));
    const labels = predicted.dataSync();
    predicted.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let correct = 0;
    for (let i = 0; i < test.n; i++) if (labels[i] === test.labels[i]) correct++;
    // Recorded on the cpu backend; float32 rounding on another backend may flip a borderline digit or two.
    expect(Math.abs(correct / test.n - record.testAccuracy)).toBeLessThanOrEqual(0.002);
  });

  it('lenetForward rejects images that are not [n, 784]', () => {
    const parameters = lenetMnistParameters();
    const wrong = tf.zeros([2, 28, 28]) as unknown as tf.Tensor2D;
    try {
      expect(() => lenetForward(parameters, wrong)).toThrow(/lenetForward: images must be \[n, 784\] \(28×28×1 rows\), got \[2, 28, 28\]/);
    } finally {
      tf.dispose([wrong, ...Object.values(parameters)]);
    }
  });
});
