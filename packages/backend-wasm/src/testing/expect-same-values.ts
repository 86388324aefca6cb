import { expect } from 'vitest';
import type { Computed } from './on-cpu-and-wasm.js';

/**
 * Expects each wasm result to have the cpu result's shape and dtype, NaN and ±Infinity at the
 * same places, and finite values within `atol + rtol` · max |finite reference value| of the
 * cpu ones (both 0, the default: identical). Unlike `expectAgreement`, it accepts non-finite
 * values, and `atol` bounds rounding errors that do not shrink with the result (a sum that
 * cancels to nearly 0 keeps the rounding of its terms).
 */
export function expectSameValues(
  results: { cpu: Computed[]; wasm: Computed[] },
  labels: string[],
  tolerance: { rtol?: number; atol?: number } = {},
): void {
  const { rtol = 0, atol = 0 } = tolerance;
  expect(results.wasm).toHaveLength(results.cpu.length);
  results.cpu.forEach((reference, i) => {
    const got = results.wasm[i] as Computed;
    const label = labels[i] ?? `output ${i}`;
    expect(got.shape, label).toEqual(reference.shape);
    expect(got.dtype, label).toBe(reference.dtype);
    expect(got.values.length, label).toBe(reference.values.length);
    let scale = 0;
    for (const e of reference.values) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
    const wrong: string[] = [];
    reference.values.forEach((e, k) => {
      const a = got.values[k] as number;
      const same = Number.isFinite(e) ? Number.isFinite(a) && Math.abs(a - e) <= atol + rtol * scale : Object.is(a, e);
      if (!same && wrong.length < 5) wrong.push(`[${k}] ${a} for ${e}`);
    });
    expect(wrong, label).toEqual([]);
  });
}
