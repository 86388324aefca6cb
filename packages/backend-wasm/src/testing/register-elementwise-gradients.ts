// Test-only: the gradients that tf.grad needs through tf.exp, tf.selu, tf.where, tf.maximum and
// tf.minimum (tfjs-core's Node entry registers none), loaded from tfjs-core's ESM modules like
// register-gradients.ts does for the others; they register into tfjs's global registry.
import * as tf from '@tensorflow/tfjs-core';
import { expGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Exp_grad';
import { maximumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Maximum_grad';
import { minimumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Minimum_grad';
import { selectGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Select_grad';
import { seluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Selu_grad';
import './register-gradients.js';

for (const config of [expGradConfig, maximumGradConfig, minimumGradConfig, selectGradConfig, seluGradConfig]) {
  if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
}
