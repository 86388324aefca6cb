import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { wasm } from '../backend/wasm.js';
import { withStockKernel } from './with-stock-kernel.js';

/** A tensor read back: shape, dtype and values. */
export interface Computed {
  shape: number[];
  dtype: tf.DataType;
  values: number[];
}

/**
 * Runs `compute` on the cpu backend (the reference), then on wasm (with the corrected
 * kernels, or with the stock kernel `stockKernel` put back), and gives back both results as
 * plain arrays. Whatever the backend of the test project, it is active again afterwards;
 * every tensor is disposed.
 */
export async function onCpuAndWasm(
  compute: () => tf.Tensor | tf.Tensor[],
  options: { stockKernel?: string } = {},
): Promise<{ cpu: Computed[]; wasm: Computed[] }> {
  const projectBackend = tf.getBackend();
  try {
    await cpu().init();
    const onCpu = await evaluate(compute);
    await wasm().init();
    const onWasm =
      options.stockKernel === undefined ? await evaluate(compute) : await withStockKernel(options.stockKernel, () => evaluate(compute));
    return { cpu: onCpu, wasm: onWasm };
  } finally {
    await tf.setBackend(projectBackend);
  }
}

/** Runs `compute` on the active backend and reads its results back. */
export async function evaluate(compute: () => tf.Tensor | tf.Tensor[]): Promise<Computed[]> {
  const out = tf.tidy(compute);
  const tensors = Array.isArray(out) ? out : [out];
  try {
    return await Promise.all(
      tensors.map(async (t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(await t.data()) as number[] })),
    );
  } finally {
    tf.dispose(tensors);
  }
}
