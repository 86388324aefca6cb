import { defineIntegrator, type IntegratorEntry } from '@pfm/core';
import { dopri5 } from '../integrators/dopri5.js';
import { euler } from '../integrators/euler.js';
import { eulerMaruyama } from '../integrators/euler-maruyama.js';
import { heun } from '../integrators/heun.js';
import { midpoint } from '../integrators/midpoint.js';
import { rk4 } from '../integrators/rk4.js';
import { stochasticHeun } from '../integrators/stochastic-heun.js';

/**
 * The integrators of @pfm/flows as registry entries. They take no options of their own; a
 * sampler's step policy (`steps`, or `rtol`/`atol` with a `controller`) is the driver's.
 */
export const integratorEntries: IntegratorEntry[] = [
  defineIntegrator({ id: 'euler', description: 'Explicit Euler, order 1, 1 evaluation per step', create: euler }),
  defineIntegrator({ id: 'midpoint', description: 'Explicit midpoint rule, order 2, 2 evaluations per step', create: midpoint }),
  defineIntegrator({
    id: 'heun',
    description: "Heun's method (explicit trapezoid), order 2, 2 evaluations per step, embedded Euler error estimate",
    create: heun,
  }),
  defineIntegrator({ id: 'rk4', description: 'Classical Runge–Kutta, order 4, 4 evaluations per step', create: rk4 }),
  defineIntegrator({
    id: 'dopri5',
    description: 'Dormand–Prince 5(4), order 5, adaptive with a PI or I controller (6 evaluations per accepted step)',
    create: dopri5,
  }),
  defineIntegrator({ id: 'euler-maruyama', description: 'Euler–Maruyama for Itô SDEs, strong order 0.5 (1 for additive noise)', create: eulerMaruyama }),
  defineIntegrator({
    id: 'stochastic-heun',
    description: 'Stochastic Heun for Stratonovich SDEs, strong order 1 for commutative noise (improved Euler for additive noise)',
    create: stochasticHeun,
  }),
];
