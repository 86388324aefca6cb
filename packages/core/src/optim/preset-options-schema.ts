import { z } from 'zod';
import { scheduleSchema } from '../train/schedule.js';

/**
 * Options of the `adam`, `adamw` and `sgd` presets (each reads the fields it uses): learning rate
 * and its schedule, Adam's β₁, β₂, ε, AdamW's decoupled weight decay, SGD's momentum and the
 * global-norm clipping threshold.
 */
export const presetOptionsSchema = z
  .object({
    lr: z.number().positive().default(1e-3),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.999),
    epsilon: z.number().positive().default(1e-8),
    /** Decoupled weight decay λ (adamw); L2-free for adam and sgd. */
    weightDecay: z.number().min(0).default(0),
    momentum: z.number().min(0).max(1).default(0),
    /** Clip the global gradient norm to this value (0 = no clipping). */
    clipNorm: z.number().min(0).default(0),
    schedule: scheduleSchema.default({ name: 'constant', warmupSteps: 0, minFactor: 0 }),
  })
  .strict();

/** Parsed options of a preset optimizer. */
export type PresetOptions = z.output<typeof presetOptionsSchema>;
/** Options of a preset optimizer as written (defaults filled in by {@link presetOptionsSchema}). */
export type PresetOptionsInput = z.input<typeof presetOptionsSchema>;
