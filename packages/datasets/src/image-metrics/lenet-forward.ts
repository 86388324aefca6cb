// Forward pass of the LeNet-style feature network (LeCun et al. 1998, LeNet-5, with ReLU and
// max pooling): conv 5×5 ×6 → pool → conv 5×5 ×16 → pool → dense 120 → dense 84 → dense 10.
// The 84 activations before the last layer are the features of the FLD and KID image metrics.
import * as tf from '@tensorflow/tfjs-core';
import type { LenetParameterName } from './lenet-parameter-shapes.js';

/** The LeNet parameters as tensors, shapes as in `LENET_PARAMETER_SHAPES`. */
export type LenetParameters = Readonly<Record<LenetParameterName, tf.Tensor>>;

/** What `lenetForward` returns: the penultimate features and the class logits. */
export interface LenetOutputs {
  /** `[n, 84]`: ReLU activations of the second dense layer. */
  features: tf.Tensor2D;
  /** `[n, 10]`: unnormalised class scores (digit 0 … 9). */
  logits: tf.Tensor2D;
}

/**
 * `[n, 784]` rows of 28×28 grey images in [0, 1] (row-major, one channel) → features `[n, 84]`
 * and logits `[n, 10]`. A plain function of tfjs ops: differentiable in `parameters` (the
 * training script uses it) and needing no gradient at all to evaluate (any backend).
 * The caller owns both outputs.
 */
export function lenetForward(parameters: LenetParameters, images: tf.Tensor2D): LenetOutputs {
  if (images.rank !== 2 || images.shape[1] !== 784) {
    throw new RangeError(`lenetForward: images must be [n, 784] (28×28×1 rows), got [${images.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const p = parameters;
    const x = tf.reshape(images, [images.shape[0], 28, 28, 1]) as tf.Tensor4D;
    const c1 = tf.relu(tf.add(tf.conv2d(x, p.conv1Kernel as tf.Tensor4D, 1, 'same'), p.conv1Bias)) as tf.Tensor4D;
    const p1 = tf.maxPool(c1, 2, 2, 'valid');
    const c2 = tf.relu(tf.add(tf.conv2d(p1, p.conv2Kernel as tf.Tensor4D, 1, 'valid'), p.conv2Bias)) as tf.Tensor4D;
    const p2 = tf.maxPool(c2, 2, 2, 'valid');
    const flat = tf.reshape(p2, [images.shape[0], 400]) as tf.Tensor2D;
    const d1 = tf.relu(tf.add(tf.matMul(flat, p.dense1Kernel as tf.Tensor2D), p.dense1Bias)) as tf.Tensor2D;
    const features = tf.relu(tf.add(tf.matMul(d1, p.dense2Kernel as tf.Tensor2D), p.dense2Bias)) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(features, p.dense3Kernel as tf.Tensor2D), p.dense3Bias) as tf.Tensor2D;
    return { features, logits };
  });
}
