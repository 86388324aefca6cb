/**
 * max_i |actual_i - expected_i| / max_i |expected_i| (0 when both are all zeros): the error
 * relative to the size of the reference tensor, so that values near zero do not blow it up.
 */
export function relativeError(actual: readonly number[], expected: readonly number[]): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const a = actual[i] as number;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity;
    diff = Math.max(diff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return diff === 0 ? 0 : diff / Math.max(scale, Number.MIN_VALUE);
}
