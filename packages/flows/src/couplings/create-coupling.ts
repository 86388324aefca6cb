import { OptionsError, formatIssues, type Coupling, type CouplingEntry, type Registry } from '@pfm/core';
import type { CouplingOption, SinkhornCouplingOptions } from './coupling-schema.js';
import { couplingEntries } from './coupling-entries.js';

/**
 * The coupling an objective's options choose: `coupling` is an id or `{ id, options }`, built
 * through `registry` so that a plugin's coupling works (the built-in ids also resolve without a
 * registry). For the id form of `sinkhorn` the options come from the objective's separate
 * `sinkhorn` object, as before. Errors name `where` (the option's path).
 */
export function createCoupling(coupling: CouplingOption, sinkhorn: SinkhornCouplingOptions = {}, registry?: Registry, where = 'coupling'): Coupling {
  const choice = typeof coupling === 'string' ? { id: coupling, options: coupling === 'sinkhorn' ? sinkhorn : {} } : coupling;
  const entry: CouplingEntry | undefined = registry?.has('coupling', choice.id) ? registry.get('coupling', choice.id) : couplingEntries.find((e) => e.id === choice.id);
  if (!entry) {
    const known = [...new Set([...(registry?.ids('coupling') ?? []), ...couplingEntries.map((e) => e.id)])].sort();
    throw new OptionsError(`${where}: unknown coupling "${choice.id}"; known coupling ids: ${known.join(', ')}`);
  }
  // The id form takes its options from the objective's `sinkhorn` field, next to `coupling`.
  const optionsWhere = typeof coupling === 'string' ? where.replace(/coupling$/, 'sinkhorn') : `${where}.options`;
  const parsed = entry.schema.safeParse(choice.options ?? {});
  if (!parsed.success) throw new OptionsError(`bad options for coupling "${entry.id}": ${formatIssues(parsed.error, optionsWhere)}`);
  return entry.create(parsed.data);
}
