// StridedSlice on wasm: tfjs-backend-wasm 4.22 stores the output of a strided (non-contiguous)
// slice as float32 whatever the input dtype, so an int32 slice comes back as int32 bit patterns
// read as tiny floats (1 → 1.4e-45). Float32 inputs are fine and go to the stock kernel. For the
// others, the stock kernel slices a float32 tensor of flat positions 0..size−1 (exact below 2^24
// elements), which gives the positions the slice reads, and GatherV2 copies those elements: exact
// for any value, with every begin/end/stride/mask case decided by the stock kernel itself.
import * as tf from '@tensorflow/tfjs-core';
import { KernelContext } from './kernel-context.js';

const MAX_EXACT = 2 ** 24;

export function fixedStridedSlice(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'float32') return stock(args);
    const size = tf.util.sizeFromShape(x.shape);
    if (size > MAX_EXACT) {
      throw new Error(`StridedSlice on wasm: a ${x.dtype} input of ${size} elements is above the supported ${MAX_EXACT}; cast it to float32 first.`);
    }
    const ctx = new KernelContext(args.backend);
    try {
      const positions = ctx.upload(Float32Array.from({ length: size }, (_, i) => i), x.shape, 'float32');
      const read = ctx.call(stock, { x: positions }, args.attrs);
      const outShape = read.shape;
      const outSize = tf.util.sizeFromShape(outShape);
      if (outSize === 0) return ctx.keep(ctx.zeros(outShape, x.dtype));
      const indices = ctx.run('Cast', { x: ctx.view(read, [outSize]) }, { dtype: 'int32' });
      const source = x.dtype === 'bool' ? ctx.run('Cast', { x }, { dtype: 'int32' }) : x;
      const gathered = ctx.run('GatherV2', { x: ctx.view(source, [size]), indices }, { axis: 0, batchDims: 0 });
      const out = x.dtype === 'bool' ? ctx.run('Cast', { x: gathered }, { dtype: 'bool' }) : gathered;
      return ctx.keep(out, outShape);
    } finally {
      ctx.dispose();
    }
  };
}
