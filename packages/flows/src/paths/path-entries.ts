import { z } from 'zod';
import type { PathEntry } from '@pfm/core';
import { linearInterpolant } from './linear-interpolant.js';
import { stochasticInterpolant } from './stochastic-interpolant.js';

/** Options of the `linear` path (see {@link linearInterpolant}). */
export const linearPathSchema = z
  .object({
    /** Constant Gaussian width σ around the straight line (Tong et al.). */
    sigma: z.number().min(0).default(0),
    /** Width σ_min of the path at the data end (Lipman et al.). */
    sigmaMin: z.number().min(0).lt(1).default(0),
  })
  .strict();

/** Options of the `stochastic` path (see {@link stochasticInterpolant}). */
export const stochasticPathSchema = z
  .object({
    /** (α, β): `linear` (1 − t, t) or `trigonometric` (cos πt/2, sin πt/2). */
    coefficients: z.enum(['linear', 'trigonometric']).default('linear'),
    /** γ(t): `quadratic` a·t(1 − t), `brownian-bridge` √(a·t(1 − t)) or `none`. */
    noise: z.enum(['none', 'brownian-bridge', 'quadratic']).default('quadratic'),
    /** The scale a of γ. */
    noiseScale: z.number().min(0).default(1),
    /** Training times avoid [0, ε) and (1 − ε, 1] for the Brownian bridge, whose γ̇ is singular there. */
    endpointGap: z.number().min(0).lt(0.5).default(1e-3),
  })
  .strict();

/** The registry entries of the built-in conditional paths: `linear` and `stochastic`. */
export const pathEntries: readonly PathEntry[] = [
  {
    kind: 'path',
    id: 'linear',
    description: 'Linear path x_t = (1 − (1 − σ_min) t) x0 + t x1 + σ z (conditional OT / rectified flow)',
    schema: linearPathSchema,
    create: (options: z.output<typeof linearPathSchema>) => linearInterpolant(options),
  },
  {
    kind: 'path',
    id: 'stochastic',
    description: 'Stochastic interpolant x_t = α(t) x0 + β(t) x1 + γ(t) z (Albergo & Vanden-Eijnden 2023)',
    schema: stochasticPathSchema,
    create: (options: z.output<typeof stochasticPathSchema>) => stochasticInterpolant(options),
  },
];
