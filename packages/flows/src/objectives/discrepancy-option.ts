import { z } from 'zod';
import type { Discrepancy, Registry } from '@pfm/core';

/**
 * A discrepancy chosen by registry id with its options: `"energy"` or `{ id: 'mmd', options: {…} }`
 * (the id is one of `energy`, `mmd`, `sinkhorn`, `sliced-wasserstein`, … from @pfm/ipm, or any
 * plugin's). The options are validated by that discrepancy's own schema.
 */
export function discrepancyOptionSchema(defaultId: string) {
  return z
    .union([
      z.string().min(1),
      z
        .object({
          id: z.string().min(1).default(defaultId),
          options: z.record(z.string(), z.unknown()).default({}),
        })
        .strict(),
    ])
    .default({ id: defaultId, options: {} });
}

/** A parsed discrepancy choice: an id, or `{ id, options }`. */
export type DiscrepancyOption = z.output<ReturnType<typeof discrepancyOptionSchema>>;

/** Builds the discrepancy through the registry (so any plugin's discrepancy works); `where` names the option. */
export function createDiscrepancy(registry: Registry, option: DiscrepancyOption, where: string): Discrepancy {
  const choice = typeof option === 'string' ? { id: option, options: {} } : option;
  if (!registry.has('discrepancy', choice.id)) {
    const known = registry.ids('discrepancy');
    throw new RangeError(
      `${where}.id: unknown discrepancy "${choice.id}"; known discrepancy ids: ${known.length > 0 ? known.join(', ') : '(none registered: add ipmPlugin from @pfm/ipm)'}`,
    );
  }
  const options = registry.parseOptions('discrepancy', choice.id, choice.options, `${where}.options`);
  return registry.get('discrepancy', choice.id).create(options, { registry });
}
