// A trained flow as a Measure: noise z ~ N(0, I) at t0 = 0 is carried to data at t1 by the ODE
// dx/dt = v_t(x) (χ₁ of the paper), integrated with a registry integrator; optionally also a
// stochastic sampler (an SDE with the same marginals, e.g. the reverse diffusion). A conditional
// flow integrates v(t, x | c), or with a guidance scale w the guided velocity (guided-drift). Its
// density is the instantaneous change of variables along the same ODE (cnf/ode-log-prob.ts).
import * as tf from '@tensorflow/tfjs-core';
import {
  createRng,
  formatIssues,
  OptionsError,
  solve,
  type DifferentialProblem,
  type PushforwardMap,
  type Registry,
  type Rng,
  type VectorField,
} from '@pfm/core';
import { odeLogProb } from '../cnf/ode-log-prob.js';
import { flowLogProbSchema, type FlowLogProbOptions } from './flow-log-prob-options.js';
import { nfePerStep, refId, resolveSolver } from './resolve-solver.js';
import { resolveSampler, samplerChoice, type ResolvedSampler, type SamplerChoice } from './resolve-sampler.js';
import type { SamplerOptions } from './sampler-schema.js';
import type { FlowSampleOptions, TransportModel } from './transport-model.js';
import { guidanceScale, guidedDrift, type ConditionalVelocity, type FlowCondition } from './guided-drift.js';

/** Options of {@link flowModel}. */
export interface FlowModelOptions {
  method: string;
  options: Record<string, unknown>;
  dim: number;
  registry: Registry;
  maps: Record<string, PushforwardMap | VectorField>;
  /** The velocity v(t, x) (v(t, x | c) for a conditional flow), `[n, d]` → `[n, d]`. */
  drift: ConditionalVelocity;
  /** What the flow is conditioned on and whether it was trained for guidance (absent: unconditional). */
  condition?: FlowCondition;
  /** Default integrator and step policy (fixed steps, or rtol/atol with a controller). */
  sampler: SamplerOptions;
  /** Integration interval (default [0, 1]). */
  t0?: number;
  t1?: number;
  /** An SDE with the same marginals, used when `stochastic: true`. */
  stochastic?: { problem: DifferentialProblem; integrator: string };
  /** log p(x) `[n]` of the model's own (default: `logProbWith(x)` with its defaults). */
  logProb?: (x: tf.Tensor2D) => tf.Tensor1D;
  extra?: () => Record<string, unknown>;
  /** Disposes what the model owns (default: every map). */
  dispose?: () => void;
}

/** Builds a flow model (a TransportModel) around a velocity. */
export function flowModel(o: FlowModelOptions): TransportModel {
  const t0 = o.t0 ?? 0;
  const t1 = o.t1 ?? 1;
  const where = `${o.method}.sample`;
  // The unconditional ODE, and the one the adaptive NFE probe of a conditional flow integrates (label 0 / zero context).
  const ode: DifferentialProblem = { drift: (t, x) => o.drift(t, x) };
  const probeProblem = (): DifferentialProblem => {
    if (!o.condition) return ode;
    const spec = o.condition.spec;
    return guidedDrift(o.drift, o.condition, { condition: spec.kind === 'class' ? 0 : new Float32Array(spec.dim) }, 256, where);
  };
  const probeCache = new Map<string, number>();

  const stored = samplerChoice(o.sampler);
  // Resolved on first use: the objectives check their sampler when training starts
  // (checkSampler), and a model file loads without building a solver.
  let defaultSampler: ResolvedSampler | undefined;

  /** The stored sampler with this call's overrides: `steps` asks for fixed steps, `rtol`/`atol` for adaptive ones. */
  const plan = (opts: FlowSampleOptions): ResolvedSampler => {
    const overridden =
      opts.integrator !== undefined || opts.steps !== undefined || opts.rtol !== undefined || opts.atol !== undefined || opts.controller !== undefined;
    if (!overridden) return (defaultSampler ??= resolveSampler(o.registry, stored, where));
    // A new id drops the stored integrator's options; the same id keeps them.
    const integrator = opts.integrator === undefined || opts.integrator === refId(stored.integrator) ? stored.integrator : opts.integrator;
    const choice: SamplerChoice = { integrator, steps: opts.steps ?? stored.steps };
    if (opts.rtol !== undefined || opts.atol !== undefined) {
      const rtol = opts.rtol ?? stored.adaptive?.rtol;
      const atol = opts.atol ?? stored.adaptive?.atol;
      const controller = opts.controller ?? stored.adaptive?.controller;
      choice.adaptive = { ...(rtol !== undefined ? { rtol } : {}), ...(atol !== undefined ? { atol } : {}), ...(controller !== undefined ? { controller } : {}) };
    } else if (opts.steps === undefined && stored.adaptive) {
      const controller = opts.controller ?? stored.adaptive.controller;
      choice.adaptive = { ...stored.adaptive, ...(controller !== undefined ? { controller } : {}) };
    } else if (opts.controller !== undefined) {
      throw new TypeError(`${where}: "controller" needs adaptive stepping; give "rtol" or "atol" (the steps are fixed otherwise)`);
    }
    return resolveSampler(o.registry, choice, where);
  };
  const checkOptions = (opts: FlowSampleOptions) => {
    guidanceScale(o.condition, opts, where);
    if (opts.stochastic && o.condition) {
      throw new TypeError(`${where}: ${o.method} samples a condition with its ODE only; drop "stochastic"`);
    }
    if (opts.stochastic && !o.stochastic) {
      throw new TypeError(`${where}: ${o.method} has no stochastic sampler; drop "stochastic" (its ODE is deterministic)`);
    }
  };
  const stochasticSolver = (opts: FlowSampleOptions) => {
    const id = opts.integrator ?? o.stochastic!.integrator;
    const solver = resolveSolver(o.registry, id, where);
    if (!solver.stochastic) throw new TypeError(`${where}: stochastic sampling needs an SDE integrator (euler-maruyama, stochastic-heun), got "${id}"`);
    return solver;
  };

  /** The likelihood's solver per options key (the default one is asked for on every logProb call). */
  const likelihoodSamplers = new Map<string, ResolvedSampler>();
  const logProbWith = (x: tf.Tensor2D, options: FlowLogProbOptions = {}): tf.Tensor1D => {
    const whereLogProb = `${o.method}.logProb`;
    if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== o.dim) {
      throw new RangeError(`${whereLogProb}: expected points [n, ${o.dim}], got ${x instanceof tf.Tensor ? `[${x.shape.join(', ')}]` : typeof x}`);
    }
    const parsed = flowLogProbSchema.safeParse(options);
    if (!parsed.success) throw new OptionsError(`bad ${whereLogProb} options: ${formatIssues(parsed.error, 'options')}`);
    const opts = parsed.data;
    const choice: SamplerChoice =
      opts.steps !== undefined
        ? { integrator: opts.integrator, steps: opts.steps }
        : {
            integrator: opts.integrator,
            steps: 1,
            adaptive: { rtol: opts.rtol ?? 1e-5, atol: opts.atol ?? 1e-5, ...(opts.controller !== undefined ? { controller: opts.controller } : {}) },
          };
    const key = JSON.stringify(choice);
    let chosen = likelihoodSamplers.get(key);
    if (chosen === undefined) {
      chosen = resolveSampler(o.registry, choice, whereLogProb);
      if (chosen.solver.stochastic) throw new TypeError(`${whereLogProb}: "${chosen.id}" is an SDE integrator; the likelihood needs an ODE integrator (euler, midpoint, heun, rk4, dopri5)`);
      likelihoodSamplers.set(key, chosen);
    }
    const solver = chosen;
    return tf.tidy(
      () =>
        odeLogProb(o.drift, x, {
          solver: solver.solver,
          grid: solver.grid,
          t0,
          t1,
          divergence: opts.divergence,
          probes: opts.probes,
          rng: createRng(opts.seed),
        }).logProb,
    );
  };

  const transport = (z: tf.Tensor2D, opts: FlowSampleOptions = {}): tf.Tensor2D => {
    if (z.rank !== 2 || z.shape[1] !== o.dim) {
      throw new RangeError(`${o.method}.transport: expected noise [n, ${o.dim}], got [${z.shape.join(', ')}]`);
    }
    guidanceScale(o.condition, opts, where);
    const chosen = plan(opts);
    if (chosen.solver.stochastic) {
      throw new TypeError(`${where}: "${chosen.id}" is an SDE integrator; the deterministic flow needs an ODE integrator (euler, midpoint, heun, rk4, dopri5)`);
    }
    return tf.tidy(() => {
      const { drift } = guidedDrift(o.drift, o.condition, opts, z.shape[0], where);
      return solve({ drift }, chosen.solver, chosen.grid(t0, t1), z).y;
    });
  };

  const model: TransportModel = {
    method: o.method,
    options: o.options,
    maps: o.maps,
    dim: o.dim,
    ...(o.condition ? { condition: o.condition.spec } : {}),
    get nfe() {
      return model.nfeFor();
    },
    transport,
    logProb: o.logProb ?? ((x: tf.Tensor2D) => logProbWith(x)),
    logProbWith,
    sample(n: number, rng: Rng, opts: FlowSampleOptions = {}): tf.Tensor2D {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`${where}: n must be a non-negative integer, got ${n}`);
      checkOptions(opts);
      if (opts.stochastic) {
        const solver = stochasticSolver(opts);
        const steps = opts.steps ?? o.sampler.steps;
        return tf.tidy(() => {
          const z = rng.fold(0).normal([n, o.dim]) as tf.Tensor2D;
          return solve(o.stochastic!.problem, solver, { t0, t1, steps }, z, { rng: rng.fold(1) }).y;
        });
      }
      return tf.tidy(() => transport(rng.normal([n, o.dim]) as tf.Tensor2D, opts));
    },
    nfeFor(opts: FlowSampleOptions = {}): number {
      checkOptions(opts);
      if (opts.stochastic) return (opts.steps ?? o.sampler.steps) * nfePerStep(stochasticSolver(opts));
      // Guidance with w ∉ {0, 1} evaluates the field twice (conditional and null) per drift call.
      const w = guidanceScale(o.condition, opts, where);
      const evaluations = o.condition && w !== 0 && w !== 1 ? 2 : 1;
      const chosen = plan(opts);
      const g = chosen.grid(t0, t1);
      if ('steps' in g) return g.steps * nfePerStep(chosen.solver) * evaluations;
      // Adaptive: the count depends on the points; measure it once on 256 fixed base points.
      const key = chosen.key;
      const cached = probeCache.get(key);
      if (cached !== undefined) return cached * evaluations;
      const nfe = tf.tidy(() => {
        const r = solve(probeProblem(), chosen.solver, g, createRng(0).normal([256, o.dim]) as tf.Tensor2D);
        return r.nfe;
      });
      probeCache.set(key, nfe);
      return nfe * evaluations;
    },
    dispose() {
      if (o.dispose) o.dispose();
      else for (const m of Object.values(o.maps)) m.dispose();
    },
  };
  if (o.extra) model.extra = o.extra;
  return model;
}
