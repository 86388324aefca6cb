// e^t for t ≤ 0 by range reduction t = k·ln2 + r, |r| ≤ ln2/2, and a degree-8 Taylor polynomial
// (remainder |r|⁹/9! < 2.4e-10 relative), times 2^k from a table: about twice as fast as Math.exp
// in V8's optimised loops (Math.exp is a call into C), far more accurate than the float32 results need.
// k = ⌈t·log₂e − ½⌉ by `| 0` (truncation): Math.round measured three times slower here.

const LOG2E = Math.LOG2E;
// ln 2 split so that k·LN2_HIGH is exact for |k| < 2^11 (Cody & Waite 1980, "Software manual for the elementary functions").
const LN2_HIGH = 6.93147180369123816490e-1;
const LN2_LOW = 1.90821492927058770002e-10;
const BIAS = 1022;
/** POW2[k + BIAS] = 2^k for k = −1022 … 0. */
const POW2 = Float64Array.from({ length: BIAS + 1 }, (_, i) => Math.pow(2, i - BIAS));

/** e^t for t ≤ 0 (0 below −708, where e^t is under the smallest normal double). Relative error < 3e-10. */
export function fastExp(t: number): number {
  if (!(t >= -708)) return t !== t ? t : 0;
  const k = (t * LOG2E - 0.5) | 0;
  const r = t - k * LN2_HIGH - k * LN2_LOW;
  const p =
    1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))));
  return p * POW2[k + BIAS]!;
}
