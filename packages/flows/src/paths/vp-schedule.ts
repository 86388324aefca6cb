// Variance-preserving Ornstein–Uhlenbeck noising in diffusion time s ∈ [0, 1] (s = 0 data, s = 1 noise):
//   dX = −½ β(s) X ds + √β(s) dW,  X_s = α(s) X_0 + σ(s) Z,  α(s) = exp(−½ ∫₀^s β),  σ² = 1 − α²
// (Song et al. 2021, eq. 11 and 29). Linear β(s) = β_min + s (β_max − β_min); cosine ᾱ(s) = α² =
// f(s)/f(0), f(s) = cos²((s + ε)/(1 + ε) · π/2) (Nichol & Dhariwal 2021, eq. 17), whose
// β = π tan(·)/(1 + ε) is clipped at β_max so that α(1) > 0 and every quantity stays finite.

/** A VP noise schedule in diffusion time s (data at s = 0). */
export interface VpSchedule {
  readonly kind: 'linear' | 'cosine';
  /** β(s). */
  beta(s: number): number;
  /** ∫₀^s β(u) du = −2 log α(s). */
  integral(s: number): number;
  /** α(s) = exp(−½ ∫₀^s β): the weight of the data. */
  alpha(s: number): number;
  /** σ(s) = √(1 − α(s)²): the weight of the noise. */
  sigma(s: number): number;
  /** The diffusion time s where α(s) = a, for a in [α(1), 1] (bisection). */
  timeForAlpha(a: number): number;
}

/** Options of {@link vpSchedule}: linear (β_min, β_max) or cosine (offset, β clip). */
export type VpScheduleOptions =
  | { kind?: 'linear'; betaMin?: number; betaMax?: number }
  | { kind: 'cosine'; offset?: number; betaMax?: number };

/** Creates a VP schedule: linear (β_min 0.1, β_max 20, Song et al.) or cosine (offset 0.008, clip 20). */
export function vpSchedule(options: VpScheduleOptions = {}): VpSchedule {
  const kind = options.kind ?? 'linear';
  let beta: (s: number) => number;
  let integral: (s: number) => number;
  if (kind === 'linear') {
    const o = options as { betaMin?: number; betaMax?: number };
    const b0 = o.betaMin ?? 0.1;
    const b1 = o.betaMax ?? 20;
    if (!(b0 > 0 && b1 >= b0 && Number.isFinite(b1))) {
      throw new RangeError(`vpSchedule: expected 0 < betaMin ≤ betaMax, got betaMin = ${b0}, betaMax = ${b1}`);
    }
    beta = (s) => b0 + s * (b1 - b0);
    integral = (s) => b0 * s + 0.5 * (b1 - b0) * s * s;
  } else if (kind === 'cosine') {
    const o = options as { offset?: number; betaMax?: number };
    const eps = o.offset ?? 0.008;
    const bMax = o.betaMax ?? 20;
    if (!(eps > 0 && eps < 1)) throw new RangeError(`vpSchedule: cosine "offset" must be in (0, 1), got ${eps}`);
    if (!(bMax > 0 && Number.isFinite(bMax))) throw new RangeError(`vpSchedule: "betaMax" must be positive, got ${bMax}`);
    const angle = (s: number) => ((s + eps) / (1 + eps)) * (Math.PI / 2);
    const logF = (s: number) => 2 * Math.log(Math.cos(angle(s)));
    const betaCos = (s: number) => (Math.PI * Math.tan(angle(s))) / (1 + eps);
    // β_cos is increasing; past s* it would exceed β_max, so it is held there.
    const sStar = Math.min(1, ((2 * (1 + eps)) / Math.PI) * Math.atan((bMax * (1 + eps)) / Math.PI) - eps);
    if (sStar <= 0) throw new RangeError(`vpSchedule: cosine "betaMax" = ${bMax} is below β(0)`);
    beta = (s) => (s <= sStar ? betaCos(s) : bMax);
    integral = (s) => (s <= sStar ? logF(0) - logF(s) : logF(0) - logF(sStar) + bMax * (s - sStar));
  } else {
    throw new RangeError(`vpSchedule: "kind" must be "linear" or "cosine", got ${String(kind)}`);
  }
  const alpha = (s: number) => Math.exp(-0.5 * integral(s));
  return {
    kind,
    beta,
    integral,
    alpha,
    sigma: (s) => Math.sqrt(Math.max(0, -Math.expm1(-integral(s)))),
    timeForAlpha(a) {
      const lo = alpha(1);
      if (!(a >= lo && a <= 1)) throw new RangeError(`vpSchedule.timeForAlpha: a must be in [${lo}, 1], got ${a}`);
      let l = 0;
      let r = 1;
      for (let i = 0; i < 60; i++) {
        const m = 0.5 * (l + r);
        if (alpha(m) > a) l = m;
        else r = m;
      }
      return 0.5 * (l + r);
    },
  };
}
