import { degenerateData, type DegenerateDataOptions, type DegenerateDataWarning } from '@pfm/core';
import type { CliIo } from './cli-io.js';

/**
 * Writes one `<where>: warning: …` line on stderr per way the points (row-major `[rows, cols]`)
 * are degenerate (see degenerateData in @pfm/core) and returns the findings. Warnings are
 * printed even with --quiet: they say the result may mean little.
 */
export function warnDegenerateData(
  io: Pick<CliIo, 'stderr'>,
  where: string,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  options: DegenerateDataOptions = {},
): DegenerateDataWarning[] {
  const found = degenerateData(values, rows, cols, options);
  for (const warning of found) io.stderr(`${where}: warning: ${warning.message}\n`);
  return found;
}
