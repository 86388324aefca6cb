// Parses a generator's options with its zod schema, so a direct call (`moons({ noise: -1 })`)
// fails with the same one-line message, naming the field, as a registry-built one.
import { formatIssues, OptionsError } from '@pfm/core';
import type { z } from 'zod';

/**
 * Validates `options` (undefined means "all defaults") against `schema` and returns the parsed
 * value with defaults filled in. Throws an `OptionsError` such as
 * `moons: bad options: options.noise: Too small: expected number to be >=0`.
 */
export function parseOptions<S extends z.ZodType>(id: string, schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options ?? {});
  if (!result.success) {
    throw new OptionsError(`${id}: bad options: ${formatIssues(result.error, 'options')}`);
  }
  return result.data;
}
