import { z } from 'zod';
import { defineDiscrepancy, entryRefSchema } from '@pfm/core';
import { mmd, mmdSchema } from './mmd.js';

/** Options of the `mmd` discrepancy: a kernel reference and those of {@link mmdSchema}. */
export const mmdEntrySchema = z.strictObject({
  /** A kernel registry id, or `{ id, options }`. Default: Gaussian with the median heuristic. */
  kernel: entryRefSchema('kernel', 'gaussian'),
  ...mmdSchema.shape,
});

/** Registry entry `mmd`: MMD² with any registered kernel. */
export const mmdEntry = defineDiscrepancy({
  id: 'mmd',
  description: 'Squared maximum mean discrepancy E k(X,X′) + E k(Y,Y′) − 2E k(X,Y), U- or V-statistic, tiled',
  schema: mmdEntrySchema,
  create(options, { registry }) {
    const kernel = registry.create('kernel', options.kernel, undefined, 'kernel');
    const fused = options.fused === undefined ? {} : { fused: options.fused };
    return (x, y) => mmd(x, y, { kernel, estimator: options.estimator, tileSize: options.tileSize, ...fused });
  },
});
