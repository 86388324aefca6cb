// c_d = π^{(d+1)/2} / Γ((d+1)/2), the constant of ∫_{R^d} (1 − cos(s·z)) |s|^{−(d+1)} ds = c_d ‖z‖
// (Székely & Rizzo 2013, J. Stat. Plan. Inference 143, Lemma 1). Hence, with τ(ds) = |s|^{−(d+1)} ds,
// ∫ |φ_μ(s) − φ_ν(s)|² τ(ds) = c_d · (2E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖).

/** Γ((d+1)/2) / Γ(d/2) for an integer d ≥ 1, by the recursion r(d+1) = (d/2) / r(d), r(1) = 1/√π. */
export function halfGammaRatio(d: number): number {
  let r = 1 / Math.sqrt(Math.PI);
  for (let k = 1; k < d; k++) r = k / 2 / r;
  return r;
}

/**
 * c_d = π^{(d+1)/2}/Γ((d+1)/2): the characteristic-function D₂² with τ(ds) = |s|^{−(d+1)} ds equals
 * c_d times the energy distance (c_1 = π, c_2 = 2π, c_3 = π²). Source: Székely & Rizzo 2013, Lemma 1.
 */
export function energyConstant(d: number): number {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`energyConstant: d must be a positive integer, got ${d}`);
  // Γ((d+1)/2) by the recursion Γ(a + 1) = a Γ(a) from Γ(1/2) = √π or Γ(1) = 1.
  let gamma = d % 2 === 0 ? Math.sqrt(Math.PI) : 1;
  for (let a = d % 2 === 0 ? 0.5 : 1; a < (d + 1) / 2; a += 1) gamma *= a;
  return Math.PI ** ((d + 1) / 2) / gamma;
}
