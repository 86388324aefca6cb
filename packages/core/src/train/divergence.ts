// What the trainer does when a loss or a gradient stops being finite: stop (keep the last good
// parameters) or roll back to the last snapshot of the parameters and optimizer state and go on
// with the learning rate multiplied by `lrFactor` (at most `maxRollbacks` times).
import { z } from 'zod';

export const divergenceSchema = z
  .object({
    /** `stop`: throw TrainingDivergedError; `rollback`: restore the last snapshot and lower the learning rate. */
    action: z.enum(['stop', 'rollback']).default('stop'),
    /** Each rollback multiplies every learning rate by this factor, in (0, 1). */
    lrFactor: z.number().gt(0).lt(1).default(0.5),
    /** Rollbacks allowed in a run; the next divergence stops it. */
    maxRollbacks: z.number().int().min(1).default(3),
    /** Steps between two snapshots of the parameters and optimizer state (the rollback target). */
    snapshotEvery: z.number().int().positive().default(50),
  })
  .strict();

export type DivergenceConfig = z.output<typeof divergenceSchema>;
export type DivergenceOptions = z.input<typeof divergenceSchema>;
