// One dense layer of an MLP, y = act(x·W + b). Where the active backend has pfm's fused dense
// kernels (@pfm/backend-wasm and @pfm/backend-cpu register them), the layer is one kernel forward
// (PfmFusedDense) and one backward (PfmFusedDenseGrad, giving dx, dW and db together) instead of
// MatMul, Add and the activation with their gradients (about 15 kernels per layer for SELU). The
// forward values are the composed ops' bit for bit; gradients are bit-identical for linear and
// relu layers and within float32 rounding for selu (its derivative on the negative side is read
// from the output, y + λα, instead of λα·exp(z)). Inside a nested gradient (a gradient of a
// gradient, e.g. the WGAN-GP penalty) the composed ops run, since a hand-written backward cannot be
// differentiated again.
import * as tf from '@tensorflow/tfjs-core';
import { activate, type Activation } from './activations.js';
import { insideNestedGradient } from './nested-gradient.js';

/** The activations the fused dense kernels compute. */
const FUSED_ACTIVATIONS: ReadonlySet<Activation> = new Set<Activation>(['linear', 'relu', 'selu']);

type FusedDense = (x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor2D;
const fusedByActivation = new Map<Activation, FusedDense>();

function fusedDense(activation: Activation): FusedDense {
  let op = fusedByActivation.get(activation);
  if (op === undefined) {
    const attrs = { activation };
    op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, kernel, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
      const y = tf.engine().runKernel('PfmFusedDense', { x, weight: kernel, bias }, attrs) as tf.Tensor2D;
      save([x, kernel, y]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [savedX, savedKernel, savedY] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          return tf.engine().runKernel('PfmFusedDenseGrad', { dy, x: savedX, weight: savedKernel, y: savedY }, attrs) as tf.Tensor[];
        },
      };
    }) as unknown as FusedDense;
    fusedByActivation.set(activation, op);
  }
  return op;
}

/** Whether the active backend registers both fused dense kernels. */
function fusedDenseRegistered(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel('PfmFusedDense', backend) != null && tf.getKernel('PfmFusedDenseGrad', backend) != null;
}

/**
 * act(x·W + b): x `[n, in]`, kernel W `[in, out]`, bias b `[out]` → `[n, out]`; fused into one
 * kernel each way where the backend has the fused dense kernels and `activation` is linear, relu
 * or selu, else composed from MatMul, Add and the activation.
 */
export function mlpDenseLayer(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  if (FUSED_ACTIVATIONS.has(activation) && x.dtype === 'float32' && !insideNestedGradient() && fusedDenseRegistered()) {
    return fusedDense(activation)(x, kernel, bias);
  }
  return activate(tf.add(tf.matMul(x, kernel), bias), activation) as tf.Tensor2D;
}
