import * as tf from '@tensorflow/tfjs-core';
import { expectElementwise } from './expect-same-values.js';
import { onCpuAndWasm } from './on-cpu-and-wasm.js';
import { wave } from './wave.js';

/** The dtypes a copying kernel (Concat, SplitV, …) must move bit for bit. */
export const COPY_DTYPES = ['float32', 'int32', 'bool'] as const;

/** A tensor of `shape` in `dtype` made from `wave(shape, phase)`. */
export type CopyInput = (shape: number[], phase: number) => tf.Tensor;

const SPECIALS = [NaN, Infinity, -Infinity, -0];

// float32: wave values with NaN, ±Infinity and −0 at every 7th position from the 4th; int32:
// round-toward-zero of 50·wave; bool: wave > 0.
const INPUTS: Record<(typeof COPY_DTYPES)[number], CopyInput> = {
  float32: (shape, phase) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from({ length: size }, (_, i) => (i % 7 === 3 ? (SPECIALS[i % 4] as number) : Math.sin(0.731 * i + phase))), shape, 'float32');
  },
  int32: (shape, phase) => tf.cast(tf.mul(wave(shape, phase), 50), 'int32'),
  bool: (shape, phase) => tf.greater(wave(shape, phase), 0),
};

/**
 * Runs `copy(case, input, index)` for each case and each of {@link COPY_DTYPES} on cpu and on
 * wasm, `input` making that dtype's tensors, and expects every output to be cpu's bit for bit
 * (NaN, ±Infinity and −0 included). An output is labelled `<label(case)> <dtype>`, or
 * `… piece j` when `copy` returns several.
 */
export async function expectCopiesMatchCpu<C>(
  cases: readonly C[],
  copy: (c: C, input: CopyInput, index: number) => tf.Tensor | tf.Tensor[],
  label: (c: C) => string,
): Promise<void> {
  const labels: string[] = [];
  const results = await onCpuAndWasm(() => {
    labels.length = 0;
    return cases.flatMap((c, i) =>
      COPY_DTYPES.flatMap((dtype) => {
        const out = copy(c, INPUTS[dtype], i);
        if (Array.isArray(out)) labels.push(...out.map((_, j) => `${label(c)} ${dtype} piece ${j}`));
        else labels.push(`${label(c)} ${dtype}`);
        return out;
      }),
    );
  });
  expectElementwise(results, labels);
}
