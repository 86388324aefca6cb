// e^t for t ≤ 0 by table-driven range reduction (Tang 1989, "Table-driven implementation of the
// exponential function in IEEE floating-point arithmetic"): t = (32m + j)·ln2/32 + r with
// |r| ≤ ln2/64, e^t = 2^m · 2^{j/32} · p(r), p the degree-5 Taylor polynomial (remainder
// |r|⁶/6! < 2e-15 relative). Two table reads and five multiply-adds: about 2.5 times as fast as
// Math.exp in V8's optimised pair loops (Math.exp is a call into C), and as accurate in float64.
// k = ⌈32·t·log₂e − ½⌉ by `| 0` (truncation toward zero, t ≤ 0): Math.round measured three times slower.

// The scalar constants are literals in the function: bundlers turn module-level `const` into
// `var`, which V8 reloads on every call of the inlined loop (measured: 30% slower pair loops).
//   32·log₂e = 46.16624130844683;
//   ln2/32 split so that k·(ln2/32)_high is exact for |k| < 2^16 (Cody & Waite 1980, "Software
//   manual for the elementary functions"): 6.93147180369123816490e-1/32 = 0.02166084938653512
//   and 1.90821492927058770002e-10/32 = 5.9631716539705866e-12 (both divisions by 32 exact).
/** FRACTION[j] = 2^{j/32}, j = 0 … 31. */
const FRACTION = Float64Array.from({ length: 32 }, (_, j) => Math.pow(2, j / 32));
/** POW2[m + 1023] = 2^m for m = −1023 … 0. */
const POW2 = Float64Array.from({ length: 1024 }, (_, i) => Math.pow(2, i - 1023));

/** e^t for t ≤ 0 (0 below −708, where e^t is under the smallest normal double). Relative error < 1e-14. */
export function fastExp(t: number): number {
  if (!(t >= -708)) return t !== t ? t : 0;
  const k = (t * 46.16624130844683 - 0.5) | 0;
  const r = t - k * 0.02166084938653512 - k * 5.9631716539705866e-12;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  // k = 32m + j with 0 ≤ j < 32 (two's complement: & keeps the low bits, >> floors).
  return p * FRACTION[k & 31]! * POW2[(k >> 5) + 1023]!;
}
