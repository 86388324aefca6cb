import type { AdaptiveOptions, Registry, Solver, SolveGrid, StepSizeController } from '@pfm/core';
import { refId, resolveSolver } from './resolve-solver.js';
import type { SamplerRef, SamplerOptions } from './sampler-schema.js';

/** Sampling settings after the per-call overrides: which solver, and fixed steps or tolerances. */
export interface SamplerChoice {
  integrator: SamplerRef;
  /** Fixed steps (when `adaptive` is absent). */
  steps: number;
  /** Adaptive stepping: tolerances and the controller reference. */
  adaptive?: { rtol?: number; atol?: number; controller?: SamplerRef };
}

/** A sampler resolved against a registry: the solver and the grid of a solve on [t0, t1]. */
export interface ResolvedSampler {
  solver: Solver;
  /** The integrator's id. */
  id: string;
  grid(t0: number, t1: number): SolveGrid;
  /** A key that identifies the step policy (the NFE of an adaptive solve is cached under it). */
  key: string;
}

/** The ids of the registered integrators that return an error estimate (built with default options). */
export function integratorsWithErrorEstimate(registry: Registry): string[] {
  return registry.ids('integrator').filter((id) => {
    try {
      return registry.create('integrator', id).errorOrder !== undefined;
    } catch {
      return false;
    }
  });
}

/** The step-size controller of `ref` (`"id"` or `{ id, options }`); `where` names the recipe field in errors. */
export function resolveController(registry: Registry, ref: SamplerRef, where: string): StepSizeController {
  const id = refId(ref);
  if (!registry.has('controller', id)) {
    const known = registry.ids('controller');
    throw new RangeError(`${where}.controller: unknown controller "${id}"; known controllers: ${known.length > 0 ? known.join(', ') : '(none registered: add flowsPlugin)'}`);
  }
  return registry.create('controller', ref, undefined, `${where}.controller`);
}

/** The fixed-or-adaptive choice a stored sampler makes on its own. */
export function samplerChoice(sampler: SamplerOptions): SamplerChoice {
  const choice: SamplerChoice = { integrator: sampler.integrator, steps: sampler.steps };
  if (sampler.rtol !== undefined || sampler.atol !== undefined) {
    choice.adaptive = {
      ...(sampler.rtol !== undefined ? { rtol: sampler.rtol } : {}),
      ...(sampler.atol !== undefined ? { atol: sampler.atol } : {}),
      ...(sampler.controller !== undefined ? { controller: sampler.controller } : {}),
    };
  }
  return choice;
}

/**
 * Resolves a sampler choice: builds the solver with its options and, for adaptive stepping,
 * checks that the solver has an error estimate (naming the integrators that have one) and builds
 * the controller. `where` names the recipe field (`flow-matching: options.sampler`).
 */
export function resolveSampler(registry: Registry, choice: SamplerChoice, where: string): ResolvedSampler {
  const solver = resolveSolver(registry, choice.integrator, where);
  const id = refId(choice.integrator);
  const integratorKey = JSON.stringify(choice.integrator);
  if (!choice.adaptive) {
    const steps = choice.steps;
    if (!Number.isInteger(steps) || steps <= 0) throw new RangeError(`${where}: "steps" must be a positive integer, got ${String(steps)}`);
    return { solver, id, grid: (t0, t1) => ({ t0, t1, steps }), key: `${integratorKey}:steps=${steps}` };
  }
  const { rtol, atol, controller: controllerRef } = choice.adaptive;
  if (solver.errorOrder === undefined) {
    const able = integratorsWithErrorEstimate(registry);
    throw new TypeError(
      `${where}: adaptive stepping (rtol/atol) needs an integrator with an error estimate, and "${id}" has none; integrators with one: ${able.length > 0 ? able.join(', ') : '(none registered)'}`,
    );
  }
  if (solver.stochastic) throw new TypeError(`${where}: adaptive stepping (rtol/atol) is for ODE integrators; "${id}" is an SDE integrator`);
  for (const [name, v] of [['rtol', rtol], ['atol', atol]] as const) {
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new RangeError(`${where}: "${name}" must be a positive finite number, got ${String(v)}`);
    }
  }
  const controller = controllerRef !== undefined ? resolveController(registry, controllerRef, where) : undefined;
  const adaptive: AdaptiveOptions = {
    ...(rtol !== undefined ? { rtol } : {}),
    ...(atol !== undefined ? { atol } : {}),
    ...(controller ? { controller } : {}),
  };
  return {
    solver,
    id,
    grid: (t0, t1) => ({ t0, t1, adaptive }),
    key: `${integratorKey}:rtol=${rtol}:atol=${atol}:controller=${JSON.stringify(controllerRef ?? null)}`,
  };
}
