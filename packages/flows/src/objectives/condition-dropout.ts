// The training side of classifier-free guidance (Ho & Salimans 2022, Algorithm 1): each row keeps
// its condition with probability 1 − p_uncond, else it is trained as unconditional (the network's
// null embedding ∅), so one network learns both v(t, x | c) and v(t, x | ∅).
import { z } from 'zod';

/**
 * The `conditionDropout` option of the conditional flow objectives: the probability p_uncond that a
 * training row's condition is replaced by the null condition (Ho & Salimans use 0.1–0.2). A model
 * trained with p > 0 can be sampled with a guidance scale w ≠ 1; with 0 (the default) only w = 1.
 * Ignored when the data have no condition.
 */
export const conditionDropoutSchema = z.number().min(0).lt(1).optional();
