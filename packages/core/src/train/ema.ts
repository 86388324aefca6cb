// Exponential moving average of the weights (Polyak averaging with exponential forgetting): after
// each optimizer step θ̄ ← d_s θ̄ + (1 − d_s) θ, and sampling uses θ̄ (Ho et al. 2020, DDPM, §4 and
// App. B; Karras et al. 2022, EDM, §5). The decay rule d_s is `emaDecay`.
import { z } from 'zod';

export const emaSchema = z
  .object({
    /** Largest decay d of the average θ̄ ← d θ̄ + (1 − d) θ, in [0, 1) (e.g. 0.999; DDPM uses 0.9999). */
    decay: z.number().min(0).lt(1),
    /** Steps during which θ̄ just follows θ (d = 0); the average and its ramp start after them. */
    warmupSteps: z.number().int().min(0).default(0),
  })
  .strict();

/** A parsed EMA configuration (defaults filled in). */
export type EmaConfig = z.output<typeof emaSchema>;
/** EMA options as written in a recipe. */
export type EmaOptions = z.input<typeof emaSchema>;
