import { z } from 'zod';
import type { IntegratorEntry, Solver } from '@pfm/core';
import { dopri5 } from '../integrators/dopri5.js';
import { euler } from '../integrators/euler.js';
import { eulerMaruyama } from '../integrators/euler-maruyama.js';
import { heun } from '../integrators/heun.js';
import { midpoint } from '../integrators/midpoint.js';
import { rk4 } from '../integrators/rk4.js';
import { stochasticHeun } from '../integrators/stochastic-heun.js';

const noOptions = z.object({}).strict();

const entry = (id: string, description: string, create: () => Solver): IntegratorEntry<Record<string, never>> => ({
  kind: 'integrator',
  id,
  description,
  schema: noOptions as z.ZodType<Record<string, never>>,
  create: () => create(),
});

/** The integrators of @pfm/flows as registry entries (their options live in `solve`, not here). */
export const integratorEntries: IntegratorEntry[] = [
  entry('euler', 'Explicit Euler, order 1, 1 evaluation per step', euler),
  entry('midpoint', 'Explicit midpoint rule, order 2, 2 evaluations per step', midpoint),
  entry('heun', "Heun's method (explicit trapezoid), order 2, 2 evaluations per step, embedded Euler error estimate", heun),
  entry('rk4', 'Classical Runge–Kutta, order 4, 4 evaluations per step', rk4),
  entry('dopri5', 'Dormand–Prince 5(4), order 5, adaptive with a PI or I controller (6 evaluations per accepted step)', dopri5),
  entry('euler-maruyama', 'Euler–Maruyama for Itô SDEs, strong order 0.5 (1 for additive noise)', eulerMaruyama),
  entry('stochastic-heun', 'Stochastic Heun for Stratonovich SDEs, strong order 1 for commutative noise (improved Euler for additive noise)', stochasticHeun),
];
