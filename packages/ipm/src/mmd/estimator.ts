/**
 * Which estimator of a squared discrepancy between samples: `'unbiased'` — U-statistics
 * (pairs i ≠ j inside a sample; unbiased, may be slightly negative), `'biased'` — V-statistics
 * (all pairs, the discrepancy between the empirical measures; ≥ 0 and exactly 0 on identical samples).
 */
export type Estimator = 'unbiased' | 'biased';

/** Validates an estimator option. */
export function checkEstimator(where: string, value: unknown): Estimator {
  if (value !== 'unbiased' && value !== 'biased') {
    throw new RangeError(`${where}: estimator must be "unbiased" or "biased", got ${JSON.stringify(value)}`);
  }
  return value;
}
