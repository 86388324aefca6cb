// The layer list of a coupling flow, written in the data → noise order of Glow's flow step
// (Kingma & Dhariwal 2018, §3): per block ActNorm, coupling, then a mixing layer between blocks.
// The chain is that list reversed (a chain's layers[0] acts first on the noise).
import type { MapSpec, Rng } from '@pfm/core';
import type { CouplingMask } from '../bijectors/coupling-mask.js';
import { orderProblem } from '../bijectors/permutation.js';

/** How coordinates are mixed between coupling blocks. */
export const PERMUTATION_KINDS = ['reverse', 'random', 'lu', 'none'] as const;
/** A mixing layer kind between coupling blocks. */
export type PermutationKind = (typeof PERMUTATION_KINDS)[number];

/**
 * The mixing layer of a coupling flow when a recipe names none: `reverse` in 2-D (the swap of
 * Dinh et al. 2017), `random` in d ≥ 3. With `reverse` and half masks, block b + 1 transforms
 * exactly the coordinates block b conditioned on, so in d = 4 the pairs {x0, x1} and {x2, x3}
 * stay together in every block and x0 never enters the conditioner of x1 (their dependence can
 * only pass through the other pair, transformed by earlier blocks); alternating odd / even masks
 * have the same defect. A fixed random shuffle per block (Kingma & Dhariwal 2018, §3.2, where
 * shuffling beat reversing) splits every pair in some block.
 */
export function defaultPermutation(dim: number): PermutationKind {
  return dim <= 2 ? 'reverse' : 'random';
}

/**
 * Why `orders` cannot be the mixing layers of `blocks` blocks on R^dim with `permutation`, or
 * undefined: there must be blocks − 1 of them (data → noise order: orders[b] follows block b),
 * each a permutation of 0 … dim − 1, and the mixing layer must be a permutation (`random`) or
 * hold one (`lu`, the P of W = P L U).
 */
export function mixingOrdersProblem(orders: readonly (readonly number[])[], dim: number, blocks: number, permutation: PermutationKind): string | undefined {
  if (permutation !== 'random' && permutation !== 'lu') {
    return `mixingOrders: needs permutation 'random' or 'lu' (the layers whose order it gives), got '${permutation}'`;
  }
  if (orders.length !== blocks - 1) return `mixingOrders: ${orders.length} orders for ${blocks} blocks, expected blocks − 1 = ${blocks - 1} (one per mixing layer)`;
  for (let b = 0; b < orders.length; b++) {
    const problem = orderProblem(orders[b]!, dim);
    if (problem) return `mixingOrders[${b}]: ${problem}`;
  }
  return undefined;
}

/**
 * Layer specs of `blocks` coupling blocks on R^dim. With `permutation: 'none'` the coupling
 * masks alternate (odd, even, …); otherwise every coupling transforms the upper half and a
 * reverse / random permutation or an LU linear layer mixes coordinates between blocks.
 */
export function couplingFlowSpecs(args: {
  dim: number;
  blocks: number;
  permutation: PermutationKind;
  actnorm: boolean;
  coupling: (mask: CouplingMask) => MapSpec;
  rng: Rng;
  /** The order of each mixing layer (data → noise), instead of the draws from `rng`; see {@link mixingOrdersProblem}. */
  orders?: readonly (readonly number[])[] | undefined;
}): MapSpec[] {
  const { dim, blocks, permutation } = args;
  const dataToNoise: MapSpec[] = [];
  for (let b = 0; b < blocks; b++) {
    if (args.actnorm) dataToNoise.push({ type: 'act-norm', options: { dim } });
    const mask: CouplingMask = permutation === 'none' ? (b % 2 === 0 ? 'odd' : 'even') : 'upper';
    dataToNoise.push(args.coupling(mask));
    if (b + 1 < blocks && permutation !== 'none') {
      const seed = args.rng.fold(b).int(2 ** 31 - 1);
      const given = args.orders?.[b];
      const order = given ? { order: [...given] } : {};
      if (permutation === 'lu') dataToNoise.push({ type: 'lu-linear', options: { dim, permute: true, seed, ...order } });
      else dataToNoise.push({ type: 'permutation', options: { dim, kind: permutation, seed, ...order } });
    }
  }
  return dataToNoise.reverse();
}
