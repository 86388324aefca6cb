// Registry entries of the image metrics: 'fld' and 'kid' discrepancies on 28×28 grey images,
// so `pfm eval --metric fld --a a.npy --b b.npy` compares two MNIST-like image sets.
import * as tf from '@tensorflow/tfjs-core';
import { defineDiscrepancy, type DiscrepancyEntry } from '@pfm/core';
import { z } from 'zod';
import { frechetLenetDistance } from './frechet-lenet-distance.js';
import { kernelLenetDistance } from './kernel-lenet-distance.js';

/** Runs a metric, prefixing its input errors with the metric's id (the CLI shows only the message). */
function named<T>(id: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`${id}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Options of the `fld` discrepancy (none). */
export const fldSchema = z.strictObject({});

/** Options of the `kid` discrepancy. */
export const kidSchema = z.strictObject({
  subsetSize: z.number().int().min(2).default(1000).describe('points drawn from each set per subset (lowered to the smaller set)'),
  subsets: z.number().int().positive().default(100).describe('number of random subsets averaged'),
  seed: z.number().int().default(0).describe('seed of the subset draws'),
});

/** Registry entry `fld`: Fréchet LeNet Distance between two sets of 28×28 grey images. */
export const fldEntry = defineDiscrepancy({
  id: 'fld',
  description:
    "Fréchet LeNet Distance: FID's formula on the 84-d features of pfm's LeNet MNIST classifier; rows of 784 values in [0, 1]; metric only (no gradient), compares within pfm only",
  schema: fldSchema,
  create: () => (x, y) => tf.scalar(named('fld', () => frechetLenetDistance(x, y))),
});

/** Registry entry `kid`: KID (unbiased cubic-kernel MMD² over subsets) on the same LeNet features. */
export const kidEntry = defineDiscrepancy({
  id: 'kid',
  description:
    'KID: unbiased MMD² with kernel (aᵀb/84 + 1)³ on the LeNet features of 28×28 grey images, mean over random subsets; metric only (no gradient), compares within pfm only',
  schema: kidSchema,
  create: (options) => (x, y) => tf.scalar(named('kid', () => kernelLenetDistance(x, y, options).mean)),
});

/** The image metrics' registry entries, for the `@pfm/datasets` plugin. */
export const imageMetricEntries: readonly DiscrepancyEntry[] = [fldEntry, kidEntry];
