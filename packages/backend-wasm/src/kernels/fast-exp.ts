// e^x for float32 results by table range reduction (Tang 1989, "Table-driven implementation of the
// exponential function in IEEE floating-point arithmetic", ACM TOMS 15(2)):
//   x = (32m + j)·ln2/32 + r,  |r| ≤ ln2/64,  e^x = 2^m · 2^(j/32) · e^r,
// e^r by its degree-4 Taylor polynomial (remainder |r|⁵/5! < 1.3e-12 relative), all in float64.
// The float64 value is within 1.3e-12 of e^x, far inside the 2^-24 half-ulp of float32, so once
// rounded to float32 (by the store into a Float32Array) it is the correctly rounded e^x or, when
// e^x lies within 1.3e-12 of a rounding midpoint, its neighbour: at most 1 ulp off.
//
// Range: x is clamped to [-104, 89] before the reduction, which is exact for float32 results:
// e^89 ≈ 4.5e38 already rounds to +Infinity (ln FLT_MAX ≈ 88.7228) and e^-104 ≈ 6.8e-46 is below
// half the smallest subnormal 2^-149, so it rounds to 0. In between, subnormal results (x below
// −87.34) are kept, not flushed, as the cpu backend keeps them. NaN passes through the arithmetic
// (its index truncates to 0, a valid table entry) and stays NaN. No data-dependent branch.

// Speed: bundlers turn module-level constants into mutable module variables, which V8 reloads on
// every iteration of a hot loop (measured 2.5x slower). So the constants are literals inside the
// functions, and the tables are passed in: a loop reads EXP_POW2 and EXP_FRACTION into locals once
// and calls fastExp(x, pow2, fraction), which V8 inlines.

/** EXP_POW2[m + 160] = 2^m for m = −160 … 159 (the reduction needs −151 … 128). */
export const EXP_POW2: Float64Array = Float64Array.from({ length: 320 }, (_, i) => Math.pow(2, i - 160));
/** EXP_FRACTION[j] = 2^(j/32), j = 0 … 31. */
export const EXP_FRACTION: Float64Array = Float64Array.from({ length: 32 }, (_, j) => Math.pow(2, j / 32));

// In both functions: v = x clamped to [−104, 89] (NaN stays NaN); k = round(v·32/ln2) computed as
// ⌊v·32/ln2 + 5120.5⌋ − 5120 with `| 0` (truncation is floor for the positive sum; Math.round is a
// call and measured slower), 5120 = 32·160 so that index >> 5 = m + 160 and index & 31 = j; and
// r = v − k·ln2/32, with ln2/32 rounded to float64: k·(ln2/32) is off by at most |k|·2^-60 < 5e-15
// for |k| ≤ 4802, a relative 5e-15 on e^x, so no Cody–Waite split is needed at float32 accuracy.

/**
 * e^x rounded to float32 within 1 ulp (as a float64; storing it into a Float32Array rounds it).
 * +Infinity above ln FLT_MAX ≈ 88.72, 0 below about −103.97, subnormals kept, NaN → NaN,
 * −Infinity → 0. `pow2` and `fraction` are EXP_POW2 and EXP_FRACTION.
 */
export function fastExp(x: number, pow2: Float64Array, fraction: Float64Array): number {
  const v = x > 89 ? 89 : x < -104 ? -104 : x;
  const index = (v * 46.16624130844683 + 5120.5) | 0; // 32/ln2
  const r = v - (index - 5120) * 0.02166084939249829; // ln2/32
  return pow2[index >> 5]! * fraction[index & 31]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24)))));
}

/**
 * e^x − 1 to float32 accuracy, also for tiny |x| where e^x − 1 would cancel: with s = 2^m·2^(j/32)
 * and q = e^r − 1 (the polynomial without its 1), e^x − 1 = (s − 1) + s·q, and for |x| ≤ ln2/64
 * (s = 1) that is q = r·(1 + r/2 + …) with r = x exactly. Relative error at most about 1e-10.
 * → −1 below −104, NaN → NaN. `pow2` and `fraction` are EXP_POW2 and EXP_FRACTION.
 */
export function fastExpm1(x: number, pow2: Float64Array, fraction: Float64Array): number {
  const v = x > 89 ? 89 : x < -104 ? -104 : x;
  const index = (v * 46.16624130844683 + 5120.5) | 0; // 32/ln2
  const r = v - (index - 5120) * 0.02166084939249829; // ln2/32
  const s = pow2[index >> 5]! * fraction[index & 31]!;
  return s - 1 + s * (r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24)))));
}
