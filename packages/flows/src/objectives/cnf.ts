// [cnf] Continuous normalizing flow by maximum likelihood (Chen et al. 2018; FFJORD, Grathwohl et
// al. 2019): minimise −E log p_1(x) with log p_1 from the instantaneous change of variables
// (cnf-log-prob.ts), the ODE discretised with a fixed-step solver and differentiated through
// (discretise-then-optimise); divergence exact (small d) or Hutchinson's estimator.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineObjective, type Registry, type VectorField } from '@pfm/core';
import { cnfLogProb } from '../cnf/cnf-log-prob.js';
import { isTimeMlp } from '../cnf/time-mlp-divergence.js';
import { flowModel } from '../models/flow-model.js';
import { checkSampler } from '../models/check-sampler.js';
import { fixedStepSolver } from '../models/fixed-step-solver.js';
import { samplerSchema } from '../models/sampler-schema.js';
import type { TransportModel } from '../models/transport-model.js';
import { buildVelocityField } from './build-velocity-field.js';
import { mapRole } from './map-role.js';

/** Options of `cnf` (divergence estimator, training and evaluation solvers, sampler). */
export const cnfSchema = z
  .object({
    /** Divergence during training: `exact` (d tangents) or `hutchinson` (one probe per point). */
    divergence: z.enum(['exact', 'hutchinson']).default('exact'),
    /** Distribution of Hutchinson's probe ε (E εεᵀ = I). */
    probe: z.enum(['rademacher', 'gaussian']).default('rademacher'),
    /**
     * Solver and steps of the likelihood during training (fixed steps only: rtol/atol are refused).
     * Rk4 × 2 (8 evaluations of the field) by default: on moons at 2,000 steps it trained 2.4× more
     * steps per CPU second than rk4 × 4 (16 evaluations) with held-out NLL and W2 inside rk4 × 4's
     * seed range over 3 seeds, while coarser recipes (midpoint × 2, euler × 2, midpoint × 1) got
     * worse the longer they trained (`bench:speed --cnf-recipes 2000`, table in
     * docs/benchmarks/flows.md); the likelihood of the trained model is still evaluated by
     * `logProb`'s own solver.
     */
    train: samplerSchema.default({ integrator: 'rk4', steps: 2 }),
    /** Solver and steps of `logProb` at evaluation (exact divergence; fixed steps only: rtol/atol are refused). */
    logProb: samplerSchema.default({ integrator: 'rk4', steps: 32 }),
    sampler: samplerSchema.default({ integrator: 'rk4', steps: 25 }),
  })
  .strict();

/** Parsed options of `cnf`. */
export type CnfOptions = z.output<typeof cnfSchema>;

/** The CNF model of a velocity field (role `velocity`): samples by the ODE, exact `logProb`. */
export function cnfModel(options: CnfOptions, field: VectorField, registry: Registry): TransportModel {
  if (!isTimeMlp(field)) throw new TypeError(`cnf: the velocity must be core's time-mlp, got "${field.toSpec().type}"`);
  const solver = fixedStepSolver(registry, options.logProb, 'cnf: options.logProb');
  return flowModel({
    method: 'cnf',
    options,
    dim: field.dim,
    registry,
    maps: { velocity: field },
    drift: (t, x) => field.evaluate(t, x),
    sampler: options.sampler,
    logProb: (x) => {
      if (x.rank !== 2 || x.shape[1] !== field.dim) {
        throw new RangeError(`cnf.logProb: expected points [n, ${field.dim}], got [${x.shape.join(', ')}]`);
      }
      return cnfLogProb(field, x, solver, options.logProb.steps);
    },
  });
}

/** Registry entry `cnf`. */
export const cnf = defineObjective({
  id: 'cnf',
  description: 'Continuous normalizing flow trained by maximum likelihood (instantaneous change of variables; exact or Hutchinson divergence)',
  schema: cnfSchema,
  create(options, ctx) {
    checkSampler(ctx.registry, options.sampler, 'cnf: options.sampler');
    const solver = fixedStepSolver(ctx.registry, options.train, 'cnf: options.train');
    const field = buildVelocityField(ctx.registry, ctx.dim, ctx.network, ctx.rng.fold(0), ctx.eventShape);
    let model: TransportModel;
    try {
      model = cnfModel(options, field, ctx.registry);
    } catch (error) {
      field.dispose();
      throw error;
    }
    return {
      players: [
        {
          name: 'velocity',
          variables: field.variables,
          loss: ({ batch, rng }) =>
            tf.tidy(() => {
              let probe: tf.Tensor2D | undefined;
              if (options.divergence === 'hutchinson') {
                const u = rng.fold(3);
                probe = (options.probe === 'gaussian' ? u.normal(batch.shape) : tf.sign(tf.sub(u.uniform(batch.shape), 0.5))) as tf.Tensor2D;
              }
              return tf.neg(tf.mean(cnfLogProb(field, batch, solver, options.train.steps, probe))) as tf.Scalar;
            }),
        },
      ],
      model,
    };
  },
  load(parts) {
    return cnfModel(parts.options, mapRole('cnf', parts, 'velocity', 'field'), parts.registry);
  },
});
