// Integrators
export * from './integrators/flow-solver.js';
export * from './integrators/sde-solver.js';
export * from './integrators/explicit-runge-kutta.js';
export * from './integrators/euler.js';
export * from './integrators/midpoint.js';
export * from './integrators/heun.js';
export * from './integrators/rk4.js';
export * from './integrators/dopri5.js';
export * from './integrators/euler-maruyama.js';
export * from './integrators/stochastic-heun.js';
// The integrator contract, driver and controllers live in @pfm/core; re-exported here unchanged.
export {
  isSdeSolver,
  brownianPath,
  controllerOptions,
  integralController,
  piController,
  scaledErrorNorm,
  solve,
  type DerivativeStepResult,
  type BrownianPath,
  type BrownianPathOptions,
  type ControllerState,
  type ControllerDecision,
  type StepSizeController,
  type ControllerOptions,
  type PiControllerOptions,
  type AdaptiveOptions,
  type SolveGrid,
  type SolveOptions,
  type SolveResult,
} from '@pfm/core';
// Paths
export * from './paths/interpolant.js';
export * from './paths/linear-interpolant.js';
export * from './paths/stochastic-interpolant.js';
export * from './paths/vp-schedule.js';
export * from './paths/vp-schedule-options.js';
export * from './paths/vp-dynamics.js';
export * from './paths/path-entries.js';
export * from './paths/path-option-schema.js';
export * from './paths/create-path.js';
// Couplings
export * from './couplings/coupling.js';
export * from './couplings/coupling-schema.js';
export * from './couplings/independent-coupling.js';
export * from './couplings/exact-ot-coupling.js';
export * from './couplings/sinkhorn-coupling.js';
export * from './couplings/create-coupling.js';
export * from './couplings/coupling-entries.js';
// Continuous normalizing flows
export * from './cnf/activation-derivative.js';
export * from './cnf/time-mlp-divergence.js';
export * from './cnf/time-mlp-trace.js';
export * from './cnf/cnf-log-prob.js';
export * from './cnf/drift-divergence.js';
export * from './cnf/ode-log-prob.js';
// Models
export * from './models/transport-model.js';
export * from './models/sampler-schema.js';
export * from './models/resolve-solver.js';
export * from './models/resolve-sampler.js';
export * from './models/check-sampler.js';
export * from './models/flow-model.js';
export * from './models/flow-log-prob-options.js';
export type { ConditionalVelocity, FlowCondition } from './models/guided-drift.js';
export * from './models/one-step-model.js';
export * from './models/euler-step-map.js';
export * from './models/as-map.js';
export * from './maps/particle-cloud.js';
// Objectives
export * from './objectives/velocity-matching-loss.js';
export * from './objectives/flow-matching-entry.js';
export * from './objectives/flow-matching.js';
export * from './objectives/ot-flow-matching.js';
export * from './objectives/stochastic-interpolant-objective.js';
export * from './objectives/score-sde.js';
export * from './objectives/rectified-flow.js';
export * from './objectives/distill.js';
export * from './objectives/curriculum.js';
export * from './objectives/cnf.js';
export * from './objectives/particles.js';
// Plugin
export * from './plugin/integrator-entries.js';
export * from './plugin/flows-plugin.js';
