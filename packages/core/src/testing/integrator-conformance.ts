// The conformance suite every registered integrator runs (diffrax's table-driven order test, made
// generic over a registry): an ODE solver's measured log-log order against its declared `order`,
// an SDE solver's measured strong order against its declared strong `order`, and an embedded
// error estimate's measured order against its declared `errorOrder`.
import type { Solver } from '../contracts/integrator.js';
import { isSdeSolver } from '../integrate/is-sde-solver.js';
import type { Registry } from '../registry/registry.js';
import { checkErrorEstimateOrder, type ErrorEstimateOrderResult } from './error-estimate-order.js';
import { checkIntegratorOrder, type IntegratorOrderResult } from './integrator-order.js';
import { checkStrongOrder, type StrongOrderResult } from './sde-strong-order.js';

/** Per-integrator settings of {@link checkIntegratorConformance}; every field has a default. */
export interface IntegratorConformanceSettings {
  /** Step counts of the ODE order test (default from the declared order: {@link defaultOrderSteps}). */
  steps?: number[];
  /** Tolerance of the ODE order test (default from the declared order). */
  tolerance?: number;
  /** Step counts of the strong-order test (default 8, 16, 32, 64, 128). */
  strongSteps?: number[];
  /** Tolerance of the strong-order test (default 0.2). */
  strongTolerance?: number;
  /** Step sizes of the error-estimate test (default 0.8, 0.4, 0.2, 0.1). */
  errorSizes?: number[];
  /** Tolerance of the error-estimate test (default 0.35). */
  errorTolerance?: number;
}

/** What {@link checkIntegratorConformance} measured for one integrator. */
export interface IntegratorConformanceReport {
  id: string;
  /** `ode`: the global order was checked; `sde`: the strong order. */
  kind: 'ode' | 'sde';
  order: IntegratorOrderResult | StrongOrderResult;
  /** The embedded error estimate's order, when the solver declares `errorOrder`. */
  errorEstimate?: ErrorEstimateOrderResult;
}

/**
 * Step counts and tolerance of the ODE order test for a declared order: the global errors stay
 * between about 1e-1 and 1e-6, above float32 round-off (about 1e-7), where the log-log slope is
 * the order. Order ≥ 5 reaches the round-off floor after 5 steps, so its steps are slightly
 * pre-asymptotic (dopri5 measures about 5.45) and its tolerance is 0.5, which still rejects an
 * order-4 or order-6 method.
 */
export function defaultOrderSteps(order: number): { steps: number[]; tolerance: number } {
  if (order >= 4.5) return { steps: [2, 3, 4, 5], tolerance: 0.5 };
  if (order >= 3.5) return { steps: [2, 4, 8, 16], tolerance: 0.35 };
  if (order >= 2.5) return { steps: [4, 8, 16, 32], tolerance: 0.35 };
  if (order >= 1.5) return { steps: [8, 16, 32, 64], tolerance: 0.35 };
  return { steps: [16, 32, 64, 128], tolerance: 0.35 };
}

/** Checks one solver (already built); throws with the measured numbers on the first failed law. */
export function checkSolverConformance(solver: Solver, name: string, settings: IntegratorConformanceSettings = {}): IntegratorConformanceReport {
  let report: IntegratorConformanceReport;
  if (solver.stochastic) {
    if (!isSdeSolver(solver)) {
      throw new TypeError(`${name}: a stochastic solver needs stepWithIncrement(problem, t0, t1, y0, dW) so one Brownian path can drive every step size`);
    }
    const order = checkStrongOrder(solver, {
      name,
      ...(settings.strongSteps ? { steps: settings.strongSteps } : {}),
      ...(settings.strongTolerance !== undefined ? { tolerance: settings.strongTolerance } : {}),
    });
    report = { id: name, kind: 'sde', order };
  } else {
    const defaults = defaultOrderSteps(solver.order);
    const order = checkIntegratorOrder(solver, { name, steps: settings.steps ?? defaults.steps, tolerance: settings.tolerance ?? defaults.tolerance });
    report = { id: name, kind: 'ode', order };
  }
  if (solver.errorOrder !== undefined) {
    report.errorEstimate = checkErrorEstimateOrder(solver, {
      name,
      ...(settings.errorSizes ? { sizes: settings.errorSizes } : {}),
      ...(settings.errorTolerance !== undefined ? { tolerance: settings.errorTolerance } : {}),
    });
  }
  return report;
}

/**
 * Builds the integrator registered under `id` with its default options and checks its declared
 * orders (ODE or strong SDE order, and the error estimate's). Run it over
 * `registry.list('integrator')` so every solver a plugin adds is held to what it declares.
 */
export function checkIntegratorConformance(registry: Registry, id: string, settings: IntegratorConformanceSettings = {}): IntegratorConformanceReport {
  return checkSolverConformance(registry.create('integrator', id, undefined, `integrator ${id}`), id, settings);
}
