import { expect } from 'vitest';
import type { Computed } from './on-cpu-and-wasm.js';
import { relativeError } from './relative-error.js';

/**
 * float32 tolerance against the cpu reference: both backends round each product and sum to
 * float32 (relative 6e-8 per operation) but in different orders (XNNPACK blocks and
 * vectorises its sums); over the short sums of these tests that stays far below 1e-4, while
 * the defects corrected here are off by 0.1 to 1.
 */
export const FLOAT32_RTOL = 1e-4;

/** Expects each wasm result to have the cpu result's shape and dtype and to be within `rtol` of it. */
export function expectAgreement(results: { cpu: Computed[]; wasm: Computed[] }, labels: string[], rtol = FLOAT32_RTOL): void {
  expect(results.wasm).toHaveLength(results.cpu.length);
  results.cpu.forEach((reference, i) => {
    const got = results.wasm[i] as Computed;
    const label = labels[i] ?? `output ${i}`;
    expect(got.shape, label).toEqual(reference.shape);
    expect(got.dtype, label).toBe(reference.dtype);
    expect(relativeError(got.values, reference.values), label).toBeLessThanOrEqual(rtol);
  });
}
