// The slope of a least-squares line y ≈ a + b·x through points (x_i, y_i):
//   b = Σ (x_i − x̄)(y_i − ȳ) / Σ (x_i − x̄)²   (ordinary least squares, e.g. Wasserman, All of
// Statistics, §13.1). The soak fits RSS against the step to tell a leak from allocator noise.

/** The least-squares line through a set of points. */
export interface LeastSquaresLine {
  /** b: change of y per unit of x. */
  slope: number;
  /** a: the line's value at x = 0. */
  intercept: number;
}

/**
 * Fits y ≈ intercept + slope·x to the points by ordinary least squares. Throws a RangeError when
 * there are fewer than 2 points, when x and y differ in length, or when every x is the same (the
 * slope is then undefined).
 */
export function leastSquaresSlope(x: readonly number[], y: readonly number[]): LeastSquaresLine {
  if (x.length !== y.length) throw new RangeError(`least squares: x has ${x.length} values but y has ${y.length}; expected the same count`);
  if (x.length < 2) throw new RangeError(`least squares: got ${x.length} point(s); expected at least 2`);
  const n = x.length;
  const meanX = x.reduce((s, v) => s + v, 0) / n;
  const meanY = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    sxy += dx * (y[i]! - meanY);
    sxx += dx * dx;
  }
  if (sxx === 0) throw new RangeError(`least squares: every x is ${meanX}; expected at least two different x values`);
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}
