// A trained flow as a Measure: noise z ~ N(0, I) at t0 = 0 is carried to data at t1 by the ODE
// dx/dt = v_t(x) (χ₁ of the paper), integrated with a registry integrator; optionally also a
// stochastic sampler (an SDE with the same marginals, e.g. the reverse diffusion).
import * as tf from '@tensorflow/tfjs-core';
import {
  createRng,
  type DifferentialProblem,
  type PushforwardMap,
  type Registry,
  type Rng,
  type VectorField,
} from '@pfm/core';
import { solve, type SolveGrid } from '../integrators/solve.js';
import { nfePerStep, resolveSolver } from './resolve-solver.js';
import type { SamplerOptions } from './sampler-schema.js';
import type { FlowSampleOptions, TransportModel } from './transport-model.js';

/** Options of {@link flowModel}. */
export interface FlowModelOptions {
  method: string;
  options: Record<string, unknown>;
  dim: number;
  registry: Registry;
  maps: Record<string, PushforwardMap | VectorField>;
  /** The velocity v(t, x), `[n, d]` → `[n, d]`. */
  drift: (t: number, x: tf.Tensor2D) => tf.Tensor2D;
  /** Default integrator and steps. */
  sampler: SamplerOptions;
  /** Integration interval (default [0, 1]). */
  t0?: number;
  t1?: number;
  /** An SDE with the same marginals, used when `stochastic: true`. */
  stochastic?: { problem: DifferentialProblem; integrator: string };
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
  const ode: DifferentialProblem = { drift: o.drift };
  const probeCache = new Map<string, number>();

  const grid = (opts: FlowSampleOptions): SolveGrid => {
    if (opts.rtol !== undefined || opts.atol !== undefined) {
      return { t0, t1, adaptive: { ...(opts.rtol !== undefined ? { rtol: opts.rtol } : {}), ...(opts.atol !== undefined ? { atol: opts.atol } : {}) } };
    }
    const steps = opts.steps ?? o.sampler.steps;
    if (!Number.isInteger(steps) || steps <= 0) throw new RangeError(`${where}: "steps" must be a positive integer, got ${String(steps)}`);
    return { t0, t1, steps };
  };
  const checkOptions = (opts: FlowSampleOptions) => {
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

  const transport = (z: tf.Tensor2D, opts: FlowSampleOptions = {}): tf.Tensor2D => {
    if (z.rank !== 2 || z.shape[1] !== o.dim) {
      throw new RangeError(`${o.method}.transport: expected noise [n, ${o.dim}], got [${z.shape.join(', ')}]`);
    }
    const solver = resolveSolver(o.registry, opts.integrator ?? o.sampler.integrator, where);
    if (solver.stochastic) {
      throw new TypeError(`${where}: "${opts.integrator}" is an SDE integrator; the deterministic flow needs an ODE integrator (euler, midpoint, heun, rk4, dopri5)`);
    }
    return tf.tidy(() => solve(ode, solver, grid(opts), z).y);
  };

  const model: TransportModel = {
    method: o.method,
    options: o.options,
    maps: o.maps,
    dim: o.dim,
    get nfe() {
      return model.nfeFor();
    },
    transport,
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
      const g = grid(opts);
      const id = opts.integrator ?? o.sampler.integrator;
      if ('steps' in g) return g.steps * nfePerStep(resolveSolver(o.registry, id, where));
      // Adaptive: the count depends on the points; measure it once on 256 fixed base points.
      const key = `${id}:${opts.rtol}:${opts.atol}`;
      const cached = probeCache.get(key);
      if (cached !== undefined) return cached;
      const solver = resolveSolver(o.registry, id, where);
      const nfe = tf.tidy(() => {
        const r = solve(ode, solver, g, createRng(0).normal([256, o.dim]) as tf.Tensor2D);
        return r.nfe;
      });
      probeCache.set(key, nfe);
      return nfe;
    },
    dispose() {
      if (o.dispose) o.dispose();
      else for (const m of Object.values(o.maps)) m.dispose();
    },
  };
  if (o.logProb) model.logProb = o.logProb;
  if (o.extra) model.extra = o.extra;
  return model;
}
