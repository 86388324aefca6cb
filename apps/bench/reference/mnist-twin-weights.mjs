// Writes pfm's default MNIST networks (unet with finalScale 1, conv-generator, the gan critic's
// conv-encoder), seeded, with an input and pfm's output for each, as JSON, so that
// mnist-twin-check.py can load the same weights into the PyTorch twin and compare the outputs.
//   node reference/mnist-twin-weights.mjs weights.json        (from apps/bench, after the build)
import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { convEncoder, convGenerator, createRng, unet } from '@pfm/core';
import { writeFileSync } from 'node:fs';

const out = process.argv[2];
if (!out) throw new Error('usage: node reference/mnist-twin-weights.mjs OUT.json');
await cpu().init();
// Variable names without the map's scope: `down0/res0/conv1/kernel`, …
const weights = (map) => Object.fromEntries(map.variables.map((v) => [v.name.split('/').slice(1).join('/'), { shape: v.shape, values: Array.from(v.dataSync()) }]));
const rng = createRng(7);
const x = rng.fold(1).uniform([3, 784]);
const t = [0.1, 0.5, 0.9];
const field = unet({ shape: [28, 28, 1], finalScale: 1 }, rng.fold(2));
const generator = convGenerator({ inputDim: 64, outputShape: [28, 28, 1] }, rng.fold(3));
const z = rng.fold(4).normal([3, 64]);
const critic = convEncoder({ inputShape: [28, 28, 1], outputDim: 1, hidden: [64, 64, 64] }, rng.fold(5));
const values = (tensor) => Array.from(tensor.dataSync());
writeFileSync(
  out,
  JSON.stringify({
    unet: { weights: weights(field), x: values(x), t, y: values(field.evaluate(tf.tensor1d(t), x)) },
    generator: { weights: weights(generator), z: values(z), y: values(generator.apply(z)) },
    critic: { weights: weights(critic), x: values(x), y: values(critic.apply(x)) },
  }),
);
