// The spectral check of Cabannes & Arnal 2023 (arXiv 2311.13845, §4, footnote 9): particles X₀ ~ ρ₀
// moved (a) by the Ornstein–Uhlenbeck flow in law, X_t = e^{−t}X₀ + √(1 − e^{−2t}) Z, and (b) by the
// Wasserstein gradient flow of F(ρ) = ½ D₂(ρ, μ₀; τ) = ½ Σ_a τ_a ⟨H_a|ρ⟩² over the Hermite family
// (⟨H_a|μ₀⟩ = 0 for μ₀ = N(0, I)), explicit Euler on the particles: dx_i/dt = −Σ_a τ_a m_a ∇H_a(x_i)
// with m_a = (1/N) Σ_j H_a(x_j), i.e. velocity −∇(δF/δρ).
// Linearised at μ₀ (⟨∇H_a·∇H_b|μ₀⟩ = λ_a δ_ab, the Dirichlet form) this gives dm_a/dt = −τ_a λ_a m_a,
// while the OU semigroup gives exactly dm_a/dt = −λ_a m_a: in W₂ the OU rates need τ = 1 (½Σ m_a² is the
// second-order expansion of KL(ρ|μ₀), whose W₂ gradient flow the OU flow is — Jordan, Kinderlehrer &
// Otto 1998); the paper's τ ∝ λ reproduces them exactly in the flat metric ‖ρ − μ₀‖² = Σ m_a² (where
// the gradient of ½Σ λ m² is λ m), and in W₂ decays degree j at rate j² instead of j.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Rng } from '@pfm/core';
import { energyDistance, hermiteFeatures, type HermiteFamily } from '@pfm/ipm';

/** The weighting of a particle flow: `uniform` τ = 1, `eigenvalue` τ = λ (the paper's), `inverse-eigenvalue` τ = 1/λ. */
export type SpectralWeighting = 'uniform' | 'eigenvalue' | 'inverse-eigenvalue';

/** Options of {@link spectralCheck}. */
export interface SpectralCheckOptions {
  /** X₀, row-major `[n, 2]`, standardised (mean 0, unit variance per coordinate). */
  initial: Float32Array;
  /** A second independent draw of ρ₀ of the same size: the seed-noise reference. */
  independent: Float32Array;
  /** K, the Hermite degree of the family. */
  degree: number;
  /** Times at which both clouds are measured (increasing, ≥ 0). */
  times: number[];
  /** Euler step of the particle flows. */
  dt: number;
  weightings: SpectralWeighting[];
  /** Seed of the Gaussian noise Z of the OU clouds. */
  seed: number;
}

/** One measurement at time t. */
export interface SpectralRow {
  t: number;
  /** ‖m_{(j)}‖ = (Σ_{|a| = j} m_a²)^{1/2} of the OU cloud in law, j = 1..K (the exact semigroup gives e^{−jt}‖m_{(j)}(0)‖). */
  ouDegreeNorms: number[];
  /** e^{−jt}‖m_{(j)}(0)‖: the OU moments computed exactly from the empirical X₀ (no noise from Z). */
  exactDegreeNorms: number[];
  /** Energy distance (V-statistic, ≥ 0) between the two independent OU clouds: the seed noise. */
  seedNoise: number;
  /** Energy distance between the OU cloud and X₀: how far the OU flow has moved the particles (the scale of the distances). */
  ouTravel: number;
  /** Per particle flow: its degree norms, ‖m(flow) − m(exact OU)‖ per degree, energy distance to the OU cloud. */
  flows: Record<string, { degreeNorms: number[]; momentError: number[]; energyToOu: number; nonFinite: number }>;
}

function moments(family: HermiteFamily, x: tf.Tensor2D): Float64Array {
  const m = tf.tidy(() => tf.mean(family.features(x), 0));
  try {
    return Float64Array.from(m.dataSync());
  } finally {
    m.dispose();
  }
}

function degreeNorms(family: HermiteFamily, m: ArrayLike<number>, K: number): number[] {
  const out = new Array<number>(K).fill(0);
  for (let i = 0; i < family.size; i++) out[family.eigenvalues[i]! - 1]! += m[i]! ** 2;
  return out.map(Math.sqrt);
}

/** The OU cloud in law at time t: e^{−t}X₀ + √(1 − e^{−2t}) Z, with Z `[n, 2]` fixed along t. */
export function ouCloud(initial: tf.Tensor2D, noise: tf.Tensor2D, t: number): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.mul(initial, Math.exp(-t)), tf.mul(noise, Math.sqrt(1 - Math.exp(-2 * t)))) as tf.Tensor2D);
}

/**
 * One explicit Euler step of the W₂ gradient flow of ½ Σ_a τ_a ⟨H_a|ρ⟩² on the particles `x` `[n, d]`:
 * x ← x − dt Σ_a τ_a m_a ∇H_a(x), computed as x − dt · n · ∇ₓ(½ Σ_a τ_a m_a²).
 */
export function particleFlowStep(family: HermiteFamily, tau: tf.Tensor1D, x: tf.Tensor2D, dt: number): tf.Tensor2D {
  const n = x.shape[0];
  return tf.tidy(() => {
    const energy = (p: tf.Tensor) => tf.mul(tf.sum(tf.mul(tau, tf.square(tf.mean(family.features(p as tf.Tensor2D), 0)))), 0.5);
    const g = tf.grad(energy)(x);
    return tf.sub(x, tf.mul(g, dt * n)) as tf.Tensor2D;
  });
}

/** Runs the check: OU clouds and every particle flow, measured at `times`. */
export function spectralCheck(options: SpectralCheckOptions, progress?: (line: string) => void): SpectralRow[] {
  const { degree: K, times, dt } = options;
  const n = options.initial.length / 2;
  const rng: Rng = createRng(options.seed);
  const family = hermiteFeatures({ dim: 2, degree: K, tau: 'uniform' });
  const x0 = tf.tensor2d(options.initial, [n, 2]);
  const x0b = tf.tensor2d(options.independent, [n, 2]);
  const z = tf.tensor2d(rng.normalArray(2 * n), [n, 2]);
  const zb = tf.tensor2d(rng.fold(1).normalArray(2 * n), [n, 2]);
  const m0 = moments(family, x0);
  const taus = options.weightings.map((w) =>
    tf.tensor1d(Float32Array.from(family.eigenvalues, (l) => (w === 'eigenvalue' ? l : w === 'inverse-eigenvalue' ? 1 / l : 1))),
  );
  const particles = options.weightings.map(() => tf.clone(x0));
  const rows: SpectralRow[] = [];
  let now = 0;
  try {
    for (const t of times) {
      while (now < t - 1e-12) {
        const h = Math.min(dt, t - now);
        particles.forEach((p, i) => {
          particles[i] = particleFlowStep(family, taus[i]!, p, h);
          p.dispose();
        });
        now += h;
      }
      const ou = ouCloud(x0, z, t);
      const ouB = ouCloud(x0b, zb, t);
      const exact = Float64Array.from(m0, (v, i) => Math.exp(-family.eigenvalues[i]! * t) * v);
      const row: SpectralRow = {
        t,
        ouDegreeNorms: degreeNorms(family, moments(family, ou), K),
        exactDegreeNorms: degreeNorms(family, exact, K),
        seedNoise: tf.tidy(() => energyDistance(ou, ouB, { estimator: 'biased' }).dataSync()[0]!),
        ouTravel: tf.tidy(() => energyDistance(ou, x0, { estimator: 'biased' }).dataSync()[0]!),
        flows: {},
      };
      options.weightings.forEach((w, i) => {
        const p = particles[i]!;
        const values = p.dataSync();
        const nonFinite = values.filter((v) => !Number.isFinite(v)).length;
        const m = nonFinite > 0 ? new Float64Array(family.size).fill(Number.NaN) : moments(family, p);
        row.flows[w] = {
          degreeNorms: degreeNorms(family, m, K),
          momentError: degreeNorms(family, Float64Array.from(m, (v, a) => v - exact[a]!), K),
          energyToOu: nonFinite > 0 ? Number.NaN : tf.tidy(() => energyDistance(p, ou, { estimator: 'biased' }).dataSync()[0]!),
          nonFinite,
        };
      });
      tf.dispose([ou, ouB]);
      rows.push(row);
      progress?.(`t = ${t}: seed noise ${row.seedNoise.toExponential(2)}, ${options.weightings.map((w) => `${w} ${row.flows[w]!.energyToOu.toExponential(2)}`).join(', ')}`);
    }
  } finally {
    tf.dispose([x0, x0b, z, zb, ...taus, ...particles]);
  }
  return rows;
}
