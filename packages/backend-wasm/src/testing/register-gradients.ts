// Test-only: tfjs-core's Node entry registers no gradients and no chained tensor methods
// (x.split, ...), which tf.grads and the gradient of a batched gather need. Only the ones
// these tests reach are loaded from tfjs-core's ESM modules (all of them would take seconds
// to load per test file); they register into tfjs's global registries.
import * as tf from '@tensorflow/tfjs-core';
import { addGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Add_grad';
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad';
import { castGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Cast_grad';
import { eluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Elu_grad';
import { gatherGradConfig } from '@tensorflow/tfjs-core/dist/gradients/GatherV2_grad';
import { identityGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Identity_grad';
import { meanGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad';
import { multiplyGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Multiply_grad';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { reshapeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Reshape_grad';
import { sigmoidGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sigmoid_grad';
import { squareGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Square_grad';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad';
import { transposeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Transpose_grad';
import { unsortedSegmentSumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/UnsortedSegmentSum_grad';
// The gradient of a gather with batchDims = 1 calls x.split, x.slice and x.reshape.
import '@tensorflow/tfjs-core/dist/public/chained_ops/reshape';
import '@tensorflow/tfjs-core/dist/public/chained_ops/slice';
import '@tensorflow/tfjs-core/dist/public/chained_ops/split';

for (const config of [
  addGradConfig,
  batchMatMulGradConfig,
  castGradConfig,
  eluGradConfig,
  gatherGradConfig,
  identityGradConfig,
  meanGradConfig,
  multiplyGradConfig,
  reluGradConfig,
  reshapeGradConfig,
  sigmoidGradConfig,
  squareGradConfig,
  sumGradConfig,
  transposeGradConfig,
  unsortedSegmentSumGradConfig,
]) {
  if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
}
