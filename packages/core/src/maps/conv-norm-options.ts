// The options the convolutional maps (conv-encoder, conv-generator) share: a group norm
// (Wu & He, "Group normalization", ECCV 2018) or none after each hidden layer, its number of
// groups, and the hidden activation. A map spreads the fields into its own `z.object` (so it can
// add more) and checks the groups with `.superRefine(checkNormGroups)`.
import { z } from 'zod';
import { ACTIVATIONS } from './activations.js';

/** The norm, groups and activation fields; `norm` defaults to `defaultNorm`. */
export function convNormOptions(defaultNorm: 'none' | 'group') {
  return {
    /** Normalisation after each hidden layer: `none` or `group` (Wu & He 2018). */
    norm: z.enum(['none', 'group']).default(defaultNorm),
    /** Groups of the group norm; must divide every entry of `channels`. */
    groups: z.number().int().positive().default(8),
    activation: z.enum(ACTIVATIONS).default('silu'),
  };
}

/**
 * With `norm: 'group'`, refuses channel counts the groups do not divide, at `groups`, naming both
 * (a group norm splits each layer's channels into equal groups).
 */
export function checkNormGroups(o: { norm: 'none' | 'group'; groups: number; channels: readonly number[] }, ctx: z.RefinementCtx): void {
  if (o.norm !== 'group') return;
  const bad = o.channels.find((c) => c % o.groups !== 0);
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['groups'], message: `${o.groups} groups do not divide ${bad} channels (channels ${JSON.stringify(o.channels)}); use a divisor or norm: 'none'` });
  }
}
