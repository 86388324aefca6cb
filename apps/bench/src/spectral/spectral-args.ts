// Command-line options of `pnpm bench --suite spectral`.
import { integerValue, list, oneOfValue, parseSuiteArgs, pathValue, positiveValue, type SuiteFlag } from '../cli/suite-args.js';
import type { SpectralWeighting } from './spectral-check.js';

export const SPECTRAL_TARGETS = ['moons', 'ring'] as const;
export type SpectralTarget = (typeof SPECTRAL_TARGETS)[number];
export const SPECTRAL_WEIGHTINGS: readonly SpectralWeighting[] = ['eigenvalue', 'uniform', 'inverse-eigenvalue'];

export interface SpectralArgs {
  targets: SpectralTarget[];
  weightings: SpectralWeighting[];
  /** Particles per cloud. */
  particles: number;
  degree: number;
  dt: number;
  times: number[];
  seed: number;
  out: string;
}

export const SPECTRAL_HELP = `pnpm bench --suite spectral [options]
  The paper's spectral check (section 4, footnote 9): standardised particles X₀ ~ ρ₀ moved by the exact
  Ornstein–Uhlenbeck flow in law and by the Wasserstein gradient flow of ½ D₂(ρ, N(0, I); τ) over the
  Hermite family (explicit Euler), compared along t by their Hermite moments and their energy distance,
  against the seed noise of two independent OU clouds → spectral.json, spectral.md.
  --targets a,b      ${SPECTRAL_TARGETS.join(', ')} (default: all)
  --weightings a,b   ${SPECTRAL_WEIGHTINGS.join(', ')} (default: all)
  --particles N      particles per cloud (default 2000)
  --degree K         Hermite total degree (default 4)
  --dt H             Euler step of the particle flows (default 0.002)
  --times a,b        measurement times (default 0,0.1,0.25,0.5,1,1.5,2,3)
  --seed N           seed (default 0)
  --quick            a smoke run: moons, 200 particles, degree 3, times 0,0.1,0.2, dt 0.01
  --out DIR          output folder (default bench-spectral)`;

/** Parses argv (without `--suite spectral`); throws one error naming the bad flag; null for --help. */
export function parseSpectralArgs(argv: readonly string[]): SpectralArgs | null {
  const defaults: SpectralArgs = {
    targets: [...SPECTRAL_TARGETS],
    weightings: [...SPECTRAL_WEIGHTINGS],
    particles: 2000,
    degree: 4,
    dt: 0.002,
    times: [0, 0.1, 0.25, 0.5, 1, 1.5, 2, 3],
    seed: 0,
    out: 'bench-spectral',
  };
  const args = parseSuiteArgs(argv, defaults, SPECTRAL_FLAGS, SPECTRAL_HELP);
  if (args && args.times.some((t, i) => i > 0 && t <= args.times[i - 1]!)) {
    throw new Error(`--times must increase, got ${args.times.join(',')}`);
  }
  return args;
}

const SPECTRAL_FLAGS: Readonly<Record<string, SuiteFlag<SpectralArgs>>> = {
  '--quick': {
    switch: (args) => Object.assign(args, { targets: ['moons'], particles: 200, degree: 3, times: [0, 0.1, 0.2], dt: 0.01 }),
  },
  '--targets': { value: (args, value, flag) => (args.targets = list(flag, value).map((v) => oneOfValue(flag, v, SPECTRAL_TARGETS))) },
  '--weightings': { value: (args, value, flag) => (args.weightings = list(flag, value).map((v) => oneOfValue(flag, v, SPECTRAL_WEIGHTINGS))) },
  '--particles': { value: (args, value, flag) => (args.particles = integerValue(flag, value, 4)) },
  '--degree': { value: (args, value, flag) => (args.degree = integerValue(flag, value, 1, 8)) },
  '--dt': { value: (args, value, flag) => (args.dt = positiveValue(flag, value)) },
  '--times': {
    value: (args, value, flag) =>
      (args.times = list(flag, value).map((v) => {
        const t = Number(v);
        if (!Number.isFinite(t) || t < 0) throw new Error(`${flag} must be times ≥ 0, got ${JSON.stringify(v)}`);
        return t;
      })),
  },
  '--seed': { value: (args, value, flag) => (args.seed = integerValue(flag, value, 0)) },
  '--out': { value: (args, value, flag) => (args.out = pathValue(flag, value, 'a folder')) },
};
