// The empirical order of a convergent method: if error ≈ C hᵖ, then log error = log C + p log h,
// so the least-squares slope of log error against log h estimates p.

/** Least-squares slope of log(errors) against log(sizes); errors are floored at 1e-300. */
export function logLogSlope(sizes: readonly number[], errors: readonly number[]): number {
  if (sizes.length !== errors.length || sizes.length < 2) {
    throw new RangeError(`logLogSlope: needs at least 2 (size, error) pairs of equal length, got ${sizes.length} and ${errors.length}`);
  }
  const xs = sizes.map((h) => Math.log(h));
  const ys = errors.map((e) => Math.log(Math.max(e, 1e-300)));
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}
