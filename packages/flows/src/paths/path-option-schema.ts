import { z } from 'zod';

/**
 * A conditional path chosen by registry id (`"stochastic"`, `"linear"`, a plugin's id) or
 * `{ id, options }`; the id and options are checked against the registry when the objective is built.
 */
export const pathOptionSchema = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) }).strict(),
]);

/** A parsed path choice: an id, or `{ id, options }`. */
export type PathOption = z.output<typeof pathOptionSchema>;
