import { z } from 'zod';
import { createRng, defineDiscrepancy } from '@pfm/core';
import { slicedWasserstein, slicedWassersteinSchema } from './sliced-wasserstein.js';

/** Options of the `sliced-wasserstein` discrepancy: those of {@link slicedWasserstein} and `resample`. */
export const slicedWassersteinEntrySchema = slicedWassersteinSchema.extend({
  /** Draw new directions at every call (call k uses the stream seed → fold(k)); default: fixed directions. */
  resample: z.boolean().default(false),
});

/** Registry entry `sliced-wasserstein`. */
export const slicedWassersteinEntry = defineDiscrepancy({
  id: 'sliced-wasserstein',
  description: 'Sliced Wasserstein (E_θ W_p^p(θ#μ, θ#ν))^{1/p} over random directions, exact per direction by sorting',
  schema: slicedWassersteinEntrySchema,
  create(options) {
    const { resample, ...rest } = options;
    const rng = createRng(options.seed);
    let calls = 0;
    return (x, y) => slicedWasserstein(x, y, resample ? { ...rest, seed: rng.fold(calls++).key } : rest);
  },
});
