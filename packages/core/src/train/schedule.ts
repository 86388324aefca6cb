// Learning-rate schedules as pure functions of the step, so a resumed run sees the same rates.
//   constant: η;  cosine: η_min + ½(η − η_min)(1 + cos(π s / S))  (Loshchilov & Hutter 2017);
//   linear warm-up over W steps multiplies either by min(1, (s + 1)/W).
import { z } from 'zod';

export const scheduleSchema = z
  .object({
    name: z.enum(['constant', 'cosine']).default('constant'),
    warmupSteps: z.number().int().min(0).default(0),
    /** Final learning rate of the cosine schedule, as a fraction of the base rate. */
    minFactor: z.number().min(0).max(1).default(0),
  })
  .strict();

export type ScheduleConfig = z.output<typeof scheduleSchema>;

/** The learning rate at step `step` (0-based) of `totalSteps`. */
export function learningRateAt(base: number, schedule: ScheduleConfig, step: number, totalSteps: number): number {
  let factor = 1;
  if (schedule.name === 'cosine') {
    const progress = Math.min(1, step / Math.max(1, totalSteps));
    factor = schedule.minFactor + 0.5 * (1 - schedule.minFactor) * (1 + Math.cos(Math.PI * progress));
  }
  if (schedule.warmupSteps > 0) factor *= Math.min(1, (step + 1) / schedule.warmupSteps);
  return base * factor;
}
