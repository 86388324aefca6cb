import { z } from 'zod';
import type { DiscrepancyEntry } from '@pfm/core';
import { entryRef, entryRefSchema, estimatorSchema, tileSizeSchema } from '../plugin/schema-parts.js';
import { mmd } from './mmd.js';

const schema = z.strictObject({
  /** A kernel registry id, or `{ id, options }`. Default: Gaussian with the median heuristic. */
  kernel: entryRefSchema('gaussian'),
  estimator: estimatorSchema.default('unbiased'),
  tileSize: tileSizeSchema,
  /** Fused host loop (default on cpu and wasm) or composed tfjs ops (false). */
  fused: z.boolean().optional(),
});

/** Registry entry `mmd`: MMD² with any registered kernel. */
export const mmdEntry: DiscrepancyEntry<z.output<typeof schema>> = {
  kind: 'discrepancy',
  id: 'mmd',
  description: 'Squared maximum mean discrepancy E k(X,X′) + E k(Y,Y′) − 2E k(X,Y), U- or V-statistic, tiled',
  schema,
  create(options, { registry }) {
    const { id, options: kernelOptions } = entryRef(options.kernel);
    const parsed = registry.parseOptions('kernel', id, kernelOptions, 'kernel.options');
    const kernel = registry.get('kernel', id).create(parsed);
    const fused = options.fused === undefined ? {} : { fused: options.fused };
    return (x, y) => mmd(x, y, { kernel, estimator: options.estimator, tileSize: options.tileSize, ...fused });
  },
};
