// tfjs-backend-webgpu 4.22's AddN binds every input as a storage buffer of one shader, and the
// output as one more. WebGPU caps storage buffers per shader stage (8 in the core limits, and on
// SwiftShader), so a sum of 8 or more tensors fails to build its pipeline and the output is left
// unwritten (garbage, no error). The trainer's gradient-norm check adds one term per variable, so
// any model with 8 or more weight tensors read a wrong loss. Its Concat splits its inputs the same
// way; AddN did not.
import type * as tf from '@tensorflow/tfjs-core';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** The number of inputs one shader may bind: the device's storage-buffer limit minus the output. */
function maxInputs(backend: unknown): number {
  const limit = (backend as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } }).device?.limits?.maxStorageBuffersPerShaderStage;
  return Math.max(2, (limit ?? 8) - 1);
}

/**
 * An `AddN` kernel for webgpu: x₁ + … + x_k with at most `maxStorageBuffersPerShaderStage − 1`
 * inputs per shader. Sums of more run the stock kernel on consecutive groups of that many, then
 * on the partial sums (a tree, in input order), disposing the partial sums. Floating-point
 * additions are regrouped, so a sum of many terms may differ from the cpu backend's left-to-right
 * sum by float32 rounding (relative 1e-7 per addition).
 */
export function addNInChunks(stock: KernelFunc): KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    const backend = args.backend as unknown as { disposeData(dataId: object): void };
    const limit = maxInputs(args.backend);
    if (inputs.length <= limit) return stock(args);
    let level = inputs;
    const partials: tf.TensorInfo[] = [];
    while (level.length > limit) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < level.length; i += limit) {
        const group = level.slice(i, i + limit);
        if (group.length === 1) {
          next.push(group[0]!);
          continue;
        }
        const sum = stock({ ...args, inputs: group as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
        partials.push(sum);
        next.push(sum);
      }
      level = next;
    }
    const result = stock({ ...args, inputs: level as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
    for (const partial of partials) backend.disposeData(partial.dataId);
    return result;
  };
}
