// The trained LeNet feature network shipped with the package: weights from
// lenet-mnist-weights.json (trained by scripts/train-mnist-features.mjs on the 9,000 MNIST
// training digits; see the file's header for seed, epochs and test accuracy). The JSON is bundled
// as data, decoded and checked once on first use, and never fetched from the network.
import * as tf from '@tensorflow/tfjs-core';
import weightsFile from './lenet-mnist-weights.json';
import { decodeLenetWeights, type LenetWeights } from './decode-lenet-weights.js';
import { LENET_PARAMETER_NAMES, LENET_PARAMETER_SHAPES, type LenetParameterName } from './lenet-parameter-shapes.js';
import type { LenetParameters } from './lenet-forward.js';

let decoded: LenetWeights | undefined;

/** The shipped LeNet weights as checked host arrays (decoded once, then cached). */
export function lenetMnistWeights(): LenetWeights {
  decoded ??= decodeLenetWeights(weightsFile);
  return decoded;
}

/**
 * The shipped LeNet weights as new tensors on the current backend, for `lenetForward`. The
 * caller owns them: call inside `tf.tidy` or dispose them (nothing long-lived is kept on a backend,
 * so switching backends is safe).
 */
export function lenetMnistParameters(): LenetParameters {
  const { values } = lenetMnistWeights();
  const parameters = {} as Record<LenetParameterName, tf.Tensor>;
  for (const name of LENET_PARAMETER_NAMES) parameters[name] = tf.tensor(values[name], [...LENET_PARAMETER_SHAPES[name]]);
  return parameters;
}
