import { createRegistry, ENTRY_KINDS, type EntryKind } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { COMMANDS } from './commands.js';
import { BACKEND_FLAG, COMMON_FLAGS } from './common-flags.js';
import { parseCommandLine } from './parse-command-line.js';

// Flags (and positionals) whose value is a registry id, with the kind it must be registered as.
const ID_FLAGS: Record<string, EntryKind> = { method: 'objective', metric: 'discrepancy', integrator: 'integrator', backend: 'backend' };
const ID_POSITIONALS: Record<string, EntryKind> = { 'dataset-id': 'dataset' };

const SPECS = await Promise.all(COMMANDS.map((entry) => entry.load()));

describe('the examples of every command\'s --help', () => {
  const registry = createRegistry({ plugins: cliPlugins });
  const cases = SPECS.flatMap((command) => command.examples.map((example) => [command.name, example, command] as const));

  it('exist for every command', () => {
    for (const command of SPECS) expect(command.examples.length, command.name).toBeGreaterThan(0);
  });

  it.each(cases)('%s: %s parses and names registered ids', (name, example, command) => {
    const words = example.split(/\s+/);
    expect(words.slice(0, 2)).toEqual(['pfm', name]);
    const flags = { ...command.flags, ...(command.compute ? BACKEND_FLAG : {}), ...COMMON_FLAGS };
    const { values, positionals } = parseCommandLine(command, flags, words.slice(2));
    for (const [flag, kind] of Object.entries(ID_FLAGS)) {
      const value = values[flag];
      if (typeof value === 'string') expect(registry.has(kind, value), `--${flag} ${value} is a registered ${kind}`).toBe(true);
    }
    command.positionals.forEach((positional, i) => {
      const kind = ID_POSITIONALS[positional.name];
      if (positional.required) expect(positionals[i], positional.name).toBeDefined();
      if (kind !== undefined && positionals[i] !== undefined) expect(registry.has(kind, positionals[i]!), `${positionals[i]} is a registered ${kind}`).toBe(true);
    });
    if (typeof values.kind === 'string') expect(ENTRY_KINDS).toContain(values.kind);
  });
});
