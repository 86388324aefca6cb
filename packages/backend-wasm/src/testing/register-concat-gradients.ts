// Test-only: the gradients of tf.concat (a split) and tf.split (a concat), which tf.grads needs
// and tfjs-core's Node entry does not register, loaded like register-gradients.ts loads others.
import * as tf from '@tensorflow/tfjs-core';
import { concatGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Concat_grad';
import { splitVGradConfig } from '@tensorflow/tfjs-core/dist/gradients/SplitV_grad';
import './register-gradients.js';

for (const config of [concatGradConfig, splitVGradConfig]) {
  if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
}
