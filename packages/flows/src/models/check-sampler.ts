import type { Registry } from '@pfm/core';
import { resolveSampler, samplerChoice } from './resolve-sampler.js';
import type { SamplerOptions } from './sampler-schema.js';

/**
 * Throws unless the stored sampler of a deterministic flow can run: a known ODE integrator with
 * valid options, and for adaptive stepping (rtol/atol) one with an error estimate and a known
 * controller. Objectives call it when training starts, so a recipe with `"integrator": "rk5"`
 * fails before any step; `where` names the recipe field (`flow-matching: options.sampler`).
 */
export function checkSampler(registry: Registry, sampler: SamplerOptions, where: string): void {
  const { solver, id } = resolveSampler(registry, samplerChoice(sampler), where);
  if (solver.stochastic) {
    throw new TypeError(`${where}.integrator: "${id}" is an SDE integrator; the deterministic flow needs an ODE integrator (euler, midpoint, heun, rk4, dopri5)`);
  }
}
