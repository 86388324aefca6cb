// How far a computed vector is from a reference one, in the reference's own scale: the error
// measure of the twin tests, which compare pfm's values with those PyTorch computed.

/**
 * ‖a − b‖₂ / ‖b‖₂ over all entries (the relative error in the Euclidean norm). Infinity when the
 * lengths differ; NaN when `b` is zero.
 */
export function relativeL2Error(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}
