import { OptionsError, createRegistry, definePlugin, type Coupling, type Registry } from '@pfm/core';
import type { CouplingOption, SinkhornCouplingOptions } from './coupling-schema.js';
import { couplingEntries } from './coupling-entries.js';

let builtins: Registry | undefined;

/**
 * The coupling an objective's options choose: `coupling` is an id or `{ id, options }`, built
 * through `registry` so that a plugin's coupling works (the built-in ids also resolve without a
 * registry). For the id form of `sinkhorn` the options come from the objective's separate
 * `sinkhorn` object, as before. Errors name `where` (the option's path).
 */
export function createCoupling(coupling: CouplingOption, sinkhorn: SinkhornCouplingOptions = {}, registry?: Registry, where = 'coupling'): Coupling {
  const choice = typeof coupling === 'string' ? { id: coupling, options: coupling === 'sinkhorn' ? sinkhorn : {} } : coupling;
  builtins ??= createRegistry({ plugins: [definePlugin({ name: '@pfm/flows couplings', version: '0', entries: couplingEntries })] });
  const source = registry?.has('coupling', choice.id) ? registry : builtins;
  if (!source.has('coupling', choice.id)) {
    const known = [...new Set([...(registry?.ids('coupling') ?? []), ...builtins.ids('coupling')])].sort();
    throw new OptionsError(`${where}: unknown coupling "${choice.id}"; known coupling ids: ${known.join(', ')}`);
  }
  // The id form takes its options from the objective's `sinkhorn` field, next to `coupling`.
  const optionsWhere = typeof coupling === 'string' ? where.replace(/coupling$/, 'sinkhorn') : `${where}.options`;
  return source.create('coupling', { id: choice.id, options: choice.options }, undefined, { options: optionsWhere });
}
