// log|det A| by LU with partial pivoting, in float64 on the host (for Jacobian checks).
export function logAbsDet(a: Float64Array, d: number): number {
  const m = Float64Array.from(a);
  let logDet = 0;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]!) > Math.abs(m[p * d + c]!)) p = r;
    const pivot = m[p * d + c]!;
    if (pivot === 0) return -Infinity;
    if (p !== c) {
      for (let k = 0; k < d; k++) {
        const t = m[c * d + k]!;
        m[c * d + k] = m[p * d + k]!;
        m[p * d + k] = t;
      }
    }
    logDet += Math.log(Math.abs(pivot));
    for (let r = c + 1; r < d; r++) {
      const f = m[r * d + c]! / pivot;
      for (let k = c; k < d; k++) m[r * d + k] = m[r * d + k]! - f * m[c * d + k]!;
    }
  }
  return logDet;
}
