// Identity and same-dtype Cast on wasm: y = x. The stock kernels copy x into a new buffer;
// tensors are immutable (a Variable's assign swaps its buffer, it never writes into one), so
// the output can share x's buffer with one more reference, as the cpu backend and the wasm
// Reshape kernel already do. A training step runs some 40 of these (tf.clone in gradients,
// float32 → float32 casts in the gradient of Mul), each a full copy before.
// Cast to bool: the stock kernel copies the numbers, so 2 stays 2 where cpu gives true (1);
// here y = (x ≠ 0) with the wasm NotEqual kernel.
import type * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';

interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

function share(x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  (backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Identity for wasm that shares the input's buffer (strings still go to the stock kernel). */
export function sharedIdentity(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    return x.dtype === 'string' ? stock(args) : share(x, args.backend);
  };
}

/**
 * Cast for wasm: shares the input's buffer when the dtype does not change, computes x ≠ 0 for
 * a float32 or int32 cast to bool; other casts run the stock kernel.
 */
export function sharedSameDtypeCast(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype;
    if (dtype === x.dtype && x.dtype !== 'string' && x.dtype !== 'complex64') return share(x, args.backend);
    if (dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
      const ctx = new KernelContext(args.backend);
      try {
        const zero = ctx.upload(x.dtype === 'int32' ? new Int32Array(1) : new Float32Array(1), [], x.dtype);
        return ctx.keep(ctx.run('NotEqual', { a: x, b: zero }));
      } finally {
        ctx.dispose();
      }
    }
    return stock(args);
  };
}
