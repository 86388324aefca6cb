import { ENTRY_KINDS, type EntryKind } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, stringFlag } from '../cli/flag-values.js';
import { CLI_VERSION } from '../cli/version.js';
import { describeOptions } from '../format/describe-option.js';

/** `pfm list [--json] [--kind KIND]`: every registered id by kind, with its options and defaults. */
export const listCommand: CommandSpec = {
  name: 'list',
  summary: 'every registered id by kind (methods, metrics, integrators, maps, data sets, backends) with options',
  usage: 'pfm list [--kind KIND] [--json] [--plugin MODULE]...',
  description:
    'Lists what the registry holds, by kind: objectives (methods for pfm train), discrepancies (metrics for\n' +
    'pfm eval), kernels, test functions, integrators, maps, data sets and backends, each with its options\n' +
    'and their defaults. Ids added by --plugin modules are listed too. --json prints one object:\n' +
    '{ version, plugins, entries: { <kind>: [{ id, description, plugin, options (JSON Schema) }] } }.',
  positionals: [],
  flags: {
    kind: { type: 'string', value: 'KIND', description: `only this kind (${ENTRY_KINDS.join(', ')})` },
    json: { type: 'boolean', description: 'print JSON on stdout' },
  },
  compute: false,
  examples: ['pfm list', 'pfm list --kind objective', 'pfm list --json --plugin ./my-plugin.mjs'],
  async run({ values, registry, io }) {
    const kind = stringFlag(values, 'kind');
    if (kind !== undefined && !(ENTRY_KINDS as readonly string[]).includes(kind)) {
      throw new CliError(`--kind: unknown kind "${kind}"; kinds: ${ENTRY_KINDS.join(', ')}`);
    }
    const kinds = kind ? [kind as EntryKind] : [...ENTRY_KINDS];
    const byKind = Object.fromEntries(kinds.map((k) => [k, registry.list(k)]));
    if (booleanFlag(values, 'json')) {
      const entries = Object.fromEntries(
        Object.entries(byKind).map(([k, list]) => [k, list.map(({ id, description, plugin, options }) => ({ id, description, plugin, options }))]),
      );
      const plugins = registry.plugins.map((p) => ({ name: p.name, version: p.version }));
      io.stdout(`${JSON.stringify({ version: CLI_VERSION, plugins, entries })}\n`);
      return EXIT_CODES.ok;
    }
    const lines: string[] = [];
    for (const [k, list] of Object.entries(byKind)) {
      lines.push(`${k} (${list.length})`);
      if (list.length === 0) lines.push('  (none registered)');
      for (const entry of list) {
        lines.push(`  ${entry.id}  ${entry.description}  [${entry.plugin}]`);
        const options = describeOptions(entry.options);
        const width = Math.max(0, ...options.map((o) => o.name.length));
        for (const option of options) lines.push(`      ${option.name.padEnd(width)}  ${option.text}`);
        if (options.length === 0) lines.push('      (no options)');
      }
      lines.push('');
    }
    io.stdout(lines.join('\n'));
    return EXIT_CODES.ok;
  },
};
