import { expect } from 'vitest';
import type { Computed } from './on-cpu-and-wasm.js';

type Results = { cpu: Computed[]; wasm: Computed[] };

const show = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

/**
 * Expects each wasm result to have the cpu result's shape, dtype and length, and every value to
 * pass `same(value, cpuValue, cpuValues)`; lists the first five values that do not.
 */
function expectEachValue(results: Results, labels: string[], same: (a: number, e: number, reference: number[]) => boolean): void {
  expect(results.wasm).toHaveLength(results.cpu.length);
  results.cpu.forEach((reference, i) => {
    const got = results.wasm[i] as Computed;
    const label = labels[i] ?? `output ${i}`;
    expect(got.shape, label).toEqual(reference.shape);
    expect(got.dtype, label).toBe(reference.dtype);
    expect(got.values.length, label).toBe(reference.values.length);
    const wrong: string[] = [];
    reference.values.forEach((e, k) => {
      const a = got.values[k] as number;
      if (!same(a, e, reference.values) && wrong.length < 5) wrong.push(`[${k}] ${show(a)} for ${show(e)}`);
    });
    expect(wrong, label).toEqual([]);
  });
}

/**
 * Expects each wasm result to have the cpu result's shape and dtype, NaN and ±Infinity at the
 * same places, and finite values within `atol + rtol` · max |finite reference value| of the
 * cpu ones (both 0, the default: identical). Unlike `expectAgreement`, it accepts non-finite
 * values, and `atol` bounds rounding errors that do not shrink with the result (a sum that
 * cancels to nearly 0 keeps the rounding of its terms).
 */
export function expectSameValues(results: Results, labels: string[], tolerance: { rtol?: number; atol?: number } = {}): void {
  const { rtol = 0, atol = 0 } = tolerance;
  const scales = new Map<number[], number>();
  const scaleOf = (reference: number[]): number => {
    let scale = scales.get(reference);
    if (scale === undefined) {
      scale = 0;
      for (const e of reference) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
      scales.set(reference, scale);
    }
    return scale;
  };
  expectEachValue(results, labels, (a, e, reference) =>
    Number.isFinite(e) ? Number.isFinite(a) && Math.abs(a - e) <= atol + rtol * scaleOf(reference) : Object.is(a, e),
  );
}

/**
 * Expects each wasm result to have the cpu result's shape and dtype and each value to be within
 * `rtol` of the cpu value relative to that value itself (not to the tensor's largest, as
 * expectAgreement and expectSameValues do), NaN where cpu has NaN and infinities exactly. With
 * rtol 0 the values must be the same numbers, −0 and +0 told apart.
 */
export function expectElementwise(results: Results, labels: string[], rtol = 0): void {
  expectEachValue(results, labels, (a, e) => (rtol === 0 || !Number.isFinite(e) ? Object.is(a, e) : Math.abs(a - e) <= rtol * Math.abs(e)));
}
