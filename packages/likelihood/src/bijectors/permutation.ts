// A fixed permutation of coordinates, x_{π(i)} = z_i: volume preserving (log|det| = 0). Between
// coupling layers it lets every coordinate be transformed (Dinh et al. 2017 §3.5; Kingma &
// Dhariwal 2018 §3.2 "reverse" and "shuffle").
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { createRng } from '@pfm/core';
import { selectColumns } from './take-columns.js';
import { defineBijector, type PfmBijector } from './define-bijector.js';

/**
 * An explicit column order `[dim]` (output column j reads input column order[j]); that it holds
 * the integers 0 … dim − 1 once each is checked against `dim` by {@link orderProblem}.
 */
export const explicitOrderSchema = z.array(z.number().int().min(0)).min(1);

/** Why `order` is not a permutation of 0 … dim − 1, or undefined when it is. */
export function orderProblem(order: readonly number[], dim: number): string | undefined {
  if (order.length !== dim) return `has ${order.length} entries, expected dim = ${dim}`;
  const seen = new Set<number>();
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= dim) return `entry ${i} is not a column index in 0 … ${dim - 1}`;
    if (seen.has(i)) return `column ${i} appears twice (a permutation of 0 … ${dim - 1} takes each once)`;
    seen.add(i);
  }
  return undefined;
}

/** Options of `permutation`: dim, kind (`reverse` | `random`), seed, or an explicit `order`. */
export const permutationOptionsSchema = z
  .object({
    dim: z.number().int().positive(),
    /** `reverse`: x = (z_{d−1}, …, z_0) (a swap in 2-D); `random`: a fixed shuffle drawn from `seed`. */
    kind: z.enum(['reverse', 'random']).default('reverse'),
    /** Seed of the `random` shuffle (part of the spec, so a file rebuilds the same permutation). */
    seed: z.number().int().min(0).default(0),
    /** The column order itself, x[:, j] = z[:, order[j]]; when given, `kind` and `seed` are not used. */
    order: explicitOrderSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const problem = o.order && orderProblem(o.order, o.dim);
    if (problem) ctx.addIssue({ code: 'custom', path: ['order'], message: `order ${problem}` });
  });

/** Options accepted by `permutation`. */
export type PermutationOptions = z.input<typeof permutationOptionsSchema>;

/** The column order: output column j reads input column order[j]. */
export function permutationOrder(options: PermutationOptions): Int32Array {
  const parsed = permutationOptionsSchema.parse(options);
  if (parsed.order) return Int32Array.from(parsed.order);
  if (parsed.kind === 'reverse') return Int32Array.from({ length: parsed.dim }, (_, j) => parsed.dim - 1 - j);
  return createRng(parsed.seed).permutation(parsed.dim);
}

/**
 * Permutation bijector `[n, dim]` → `[n, dim]`, x[:, j] = z[:, order[j]], log-det 0.
 * Source: Dinh, Sohl-Dickstein & Bengio 2017; Kingma & Dhariwal, "Glow", NeurIPS 2018.
 */
export function permutation(options: PermutationOptions): PfmBijector<z.output<typeof permutationOptionsSchema>> {
  const parsed = permutationOptionsSchema.parse(options);
  const d = parsed.dim;
  // x[:, j] = z[:, order[j]]; the inverse reads z[:, i] = x[:, inverse[i]], inverse[order[j]] = j.
  const order = Array.from(permutationOrder(parsed));
  const inverse = new Array<number>(d);
  order.forEach((i, j) => (inverse[i] = j));
  return defineBijector({
    type: 'permutation',
    dim: d,
    variables: [],
    options: () => parsed,
    forward: (zIn) => [selectColumns(zIn, order), tf.zeros([zIn.shape[0]]) as tf.Tensor1D],
    inverse: (x) => [selectColumns(x, inverse), tf.zeros([x.shape[0]]) as tf.Tensor1D],
  });
}
