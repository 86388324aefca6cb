import { expect } from 'vitest';
import type { Computed } from './on-cpu-and-wasm.js';

const show = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

/**
 * Expects each wasm result to have the cpu result's shape and dtype and each value to be within
 * `rtol` of the cpu value relative to that value itself (not to the tensor's largest, as
 * expectAgreement does), NaN where cpu has NaN and infinities exactly. With rtol 0 the values
 * must be the same numbers, −0 and +0 told apart.
 */
export function expectElementwise(results: { cpu: Computed[]; wasm: Computed[] }, labels: string[], rtol = 0): void {
  expect(results.wasm).toHaveLength(results.cpu.length);
  results.cpu.forEach((reference, i) => {
    const got = results.wasm[i] as Computed;
    const label = labels[i] ?? `output ${i}`;
    expect(got.shape, label).toEqual(reference.shape);
    expect(got.dtype, label).toBe(reference.dtype);
    expect(got.values.length, label).toBe(reference.values.length);
    reference.values.forEach((e, j) => {
      const a = got.values[j] as number;
      const ok = rtol === 0 || !Number.isFinite(e) ? Object.is(a, e) : Math.abs(a - e) <= rtol * Math.abs(e);
      if (!ok) expect.fail(`${label}: element ${j} is ${show(a)}, cpu gives ${show(e)} (rtol ${rtol})`);
    });
  });
}
