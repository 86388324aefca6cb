// [rectified-flow] Rectified flow and reflow (Liu, Gong & Liu 2023, "Flow straight and fast",
// Algorithm 1): round 0 fits v on the straight path x_t = (1 − t) x0 + t x1 with independent pairs;
// each next round k re-couples fresh noise z with the current flow's output, (z, χ₁(z)), and keeps
// fitting v on the straight lines between them (fine-tuning the same network). The k-rectified
// couplings have ever straighter paths, so few Euler steps (even one) sample well.
// On data with a condition c the field is v(t, x | c); a reflow draws each pair's condition from the
// training rows' conditions and integrates the conditional flow, (z, c, χ₁(z | c)).
// A reflow integrates its pairs `reflowChunkRows` at a time: the field acts row by row, so the
// pairs are those of one pass over all rows, with the memory of one chunk's solve (on MNIST one pass
// would push 9,000 × 784 values through the U-Net at once).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineObjective, solve, type ConditionBatch, type Rng, type SetupPass, IMAGE_FIELD_DEFAULTS, onImages, tensorBytes } from '@pfm/core';
import { independentCoupling } from '../couplings/independent-coupling.js';
import { checkSampler } from '../models/check-sampler.js';
import { fixedStepSolver } from '../models/fixed-step-solver.js';
import { samplerSchema } from '../models/sampler-schema.js';
import { linearInterpolant } from '../paths/linear-interpolant.js';
import { buildVelocityField } from './build-velocity-field.js';
import { conditionDropoutSchema } from './condition-dropout.js';
import { mapRole } from './map-role.js';
import { roundOfStep } from './round-of-step.js';
import { rowsInChunks } from './rows-in-chunks.js';
import { velocityFlow } from './velocity-flow.js';
import { velocityMatchingLoss } from './velocity-matching-loss.js';

/** Options of `rectified-flow` (rounds, reflow pairs and their sampler). */
export const rectifiedFlowSchema = z
  .object({
    /** Training rounds k (1 = plain rectified flow; each further round is one reflow). Steps are split evenly. */
    rounds: z.number().int().min(1).max(16).default(2),
    /** Number of (z, χ₁(z)) pairs generated at each reflow (0 = as many as training points). */
    pairs: z.number().int().min(0).default(0),
    /** How the current flow is integrated to make the reflow pairs (fixed steps only: rtol/atol are refused). */
    reflowSampler: samplerSchema.default(samplerSchema.parse({})),
    /**
     * Reflow pairs integrated at a time (absent: 256 on images, 4,096 on vectors). The pass's memory
     * scales with it; its pairs do not depend on it (up to float rounding of the field's kernels).
     */
    reflowChunkRows: z.number().int().positive().optional(),
    sampler: samplerSchema.default(samplerSchema.parse({})),
    /** Probability that a training row's condition is dropped (classifier-free guidance); only with conditional data. */
    conditionDropout: conditionDropoutSchema,
  })
  .strict();

/** Parsed options of `rectified-flow`. */
export type RectifiedFlowOptions = z.output<typeof rectifiedFlowSchema>;

let runCounter = 0;

/** Reflow pairs integrated at a time by default on images (a U-Net's activations are some 1 MB a row) and on vectors. */
export const REFLOW_CHUNK_ROWS = { images: 256, vectors: 4096 } as const;

/** The rows integrated at a time when the options name none: by images (an event shape) or vectors. */
export function defaultChunkRows(eventShape: readonly number[] | undefined): number {
  return eventShape ? REFLOW_CHUNK_ROWS.images : REFLOW_CHUNK_ROWS.vectors;
}

/**
 * The memory bound of one reflow (`pairs` pairs of `[·, d]` rows integrated `chunkRows` at a time),
 * as core's memory plan reads it, besides the run's state (the noise and the current pairs, in
 * `stateBytes`): the new noise or the new pairs before they replace the old (one set), and in the
 * solve of a chunk its state and the stages of the integrator (four for rk4) plus one temporary,
 * 6 chunks; the field sees `chunkRows` rows at a time.
 */
export function reflowSetupPass(pairs: number, chunkRows: number): SetupPass {
  const chunk = Math.min(pairs, chunkRows);
  return { name: 'reflow (re-coupling the pairs)', heldRows: pairs + 6 * chunk, chunkRows: chunk, advice: 'fewer options.pairs, or a smaller options.reflowChunkRows' };
}

/** Registry entry `rectified-flow`. */
export const rectifiedFlow = defineObjective({
  id: 'rectified-flow',
  description: 'Rectified flow with k reflow rounds: refit straight paths between noise and the flow\'s own outputs',
  schema: rectifiedFlowSchema,
  recipeDefaults: onImages(IMAGE_FIELD_DEFAULTS),
  create(options, ctx) {
    checkSampler(ctx.registry, options.sampler, 'rectified-flow: options.sampler');
    const { rounds } = options;
    const dim = ctx.dim;
    const count = options.pairs > 0 ? options.pairs : ctx.data.shape[0];
    const chunkRows = options.reflowChunkRows ?? defaultChunkRows(ctx.eventShape);
    const reflowSolver = fixedStepSolver(ctx.registry, options.reflowSampler, 'rectified-flow: options.reflowSampler');
    const field = buildVelocityField(ctx.registry, dim, ctx.network, ctx.rng.fold(0), ctx.eventShape, ctx.condition);
    const dropout = options.conditionDropout ?? 0;
    const conditionData = ctx.condition ? ctx.conditionRows : undefined;
    const path = linearInterpolant();
    const independent = independentCoupling();
    // The current coupling (z, χ₁(z)); variables keep the tensor count constant across rounds.
    const scope = `rectified-flow${runCounter++}`;
    const noise = tf.tidy(() => tf.variable(tf.zeros<tf.Rank.R2>([count, dim]), false, `${scope}/noise`));
    const target = tf.tidy(() => tf.variable(tf.zeros([count, dim]), false, `${scope}/target`));
    // The condition of each reflow pair (float32 even for labels: a variable's dtype is fixed at creation).
    const pairCondition = conditionData
      ? tf.tidy(() => tf.variable(tf.zeros(conditionData.rank === 1 ? [count] : [count, conditionData.shape[1]!]), false, `${scope}/condition`))
      : undefined;
    const pairBatch = (index: tf.Tensor1D): ConditionBatch | undefined => {
      if (!pairCondition) return undefined;
      const rows = tf.gather(pairCondition, index);
      return { values: conditionData!.rank === 1 ? tf.cast(rows, 'int32') : rows };
    };
    let couplingRound = 0;

    const recouple = (round: number, rng: Rng) => {
      tf.tidy(() => {
        noise.assign(rng.normal([count, dim]) as tf.Tensor2D);
        if (pairCondition) {
          const picks = rng.fold(1);
          const rows = Int32Array.from({ length: count }, () => picks.int(conditionData!.shape[0]));
          pairCondition.assign(tf.cast(tf.gather(conditionData!, tf.tensor1d(rows, 'int32')), 'float32'));
        }
      });
      // χ₁(z) chunk by chunk into host memory, so the device holds one chunk's solve at a time.
      const ends = rowsInChunks(noise, pairCondition, chunkRows, (z0, c) => {
        const condition = c && { values: conditionData!.rank === 1 ? tf.cast(c, 'int32') : c };
        return solve({ drift: (t, x) => field.evaluate(t, x, condition) }, reflowSolver, { t0: 0, t1: 1, steps: options.reflowSampler.steps }, z0).y as tf.Tensor2D;
      });
      target.assign(ends);
      ends.dispose();
      couplingRound = round;
    };

    return {
      setupPasses: rounds > 1 ? [reflowSetupPass(count, chunkRows)] : [],
      // The noise, the current pairs and their conditions, kept for the whole run.
      stateBytes: tensorBytes(noise, target, pairCondition),
      players: [
        {
          name: 'velocity',
          variables: field.variables,
          loss: ({ batch, condition, rng, step, totalSteps }) => {
            if (roundOfStep(step, totalSteps, rounds) === 0) {
              return velocityMatchingLoss(field, path, independent, batch, rng, condition ? { values: condition, dropout } : undefined);
            }
            return tf.tidy(() => {
              const n = batch.shape[0];
              const picks = rng.fold(4);
              const idx = Int32Array.from({ length: n }, () => picks.int(count));
              const index = tf.tensor1d(idx, 'int32');
              const x0 = tf.gather(noise, index) as tf.Tensor2D;
              const x1 = tf.gather(target, index) as tf.Tensor2D;
              const t = rng.fold(1).uniform([n]) as tf.Tensor1D;
              const { xt, velocity } = path.interpolate(t, x0, x1);
              const paired = pairBatch(index);
              const keep = paired && dropout > 0 ? (tf.cast(tf.greaterEqual(rng.fold(5).uniform([n]), dropout), 'float32') as tf.Tensor1D) : undefined;
              const batchCondition = paired && keep ? { ...paired, keep } : paired;
              return tf.mean(tf.square(tf.sub(field.evaluate(t, xt, batchCondition), velocity))) as tf.Scalar;
            });
          },
        },
      ],
      model: velocityFlow('rectified-flow', options, field, ctx.registry, () => ({ rounds })),
      beforeStep(step, rng) {
        const round = roundOfStep(step, ctx.steps, rounds);
        if (round > 0 && couplingRound !== round) recouple(round, rng.fold(7));
      },
      state() {
        return {
          json: { couplingRound },
          tensors: { noise: tf.clone(noise), target: tf.clone(target), ...(pairCondition ? { condition: tf.clone(pairCondition) } : {}) },
        };
      },
      restore(state) {
        const r = state.json.couplingRound;
        if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= rounds) {
          throw new RangeError(`rectified-flow: checkpoint couplingRound must be an integer in [0, ${rounds - 1}], got ${String(r)}`);
        }
        const held: [string, tf.Variable][] = [['noise', noise], ['target', target]];
        if (pairCondition) held.push(['condition', pairCondition]);
        for (const [name, v] of held) {
          const saved = state.tensors[name];
          if (!saved || saved.shape.join(',') !== v.shape.join(',')) {
            throw new RangeError(`rectified-flow: checkpoint tensor "${name}" must have shape [${v.shape.join(', ')}]`);
          }
          v.assign(saved);
        }
        couplingRound = r;
      },
      dispose() {
        noise.dispose();
        target.dispose();
        pairCondition?.dispose();
      },
    };
  },
  load(parts) {
    return velocityFlow('rectified-flow', parts.options, mapRole('rectified-flow', parts, 'velocity', 'field'), parts.registry, () => ({
      rounds: parts.options.rounds,
    }));
  },
});
