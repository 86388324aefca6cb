import { createRegistry, ENTRY_KINDS } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { errorLineOf, FIXTURE_PLUGIN, runPfm } from '../test-support/run-pfm.js';

// The same registry the executable builds: every id of every plugin must show, with no list kept by hand.
const registry = createRegistry({ plugins: cliPlugins });

/** The lines of `pfm list` under the entry `id` of `kind`, up to the next entry. */
function entryBlock(text: string, kind: string, id: string): string {
  const section = text.split(/\n(?=\S)/).find((s) => s.startsWith(`${kind} (`)) ?? '';
  const start = section.indexOf(`\n  ${id}  `);
  if (start < 0) return '';
  const rest = section.slice(start + 1);
  const next = rest.slice(1).search(/\n {2}\S/);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

describe('pfm list', () => {
  it('shows every registered id of every kind, each with every option of its schema', async () => {
    const r = await runPfm(['list']);
    expect(r.code).toBe(0);
    for (const kind of ENTRY_KINDS) {
      expect(r.stdout).toContain(`${kind} (${registry.ids(kind).length})`);
      for (const info of registry.list(kind)) {
        const block = entryBlock(r.stdout, kind, info.id);
        expect(block, `${kind} ${info.id}`).toContain(info.description);
        const properties = Object.keys((info.options as { properties?: object }).properties ?? {});
        for (const name of properties) expect(block, `${kind} ${info.id} option ${name}`).toMatch(new RegExp(`^ {6}${name} `, 'm'));
      }
    }
    // A default is printed as JSON after "=": realnvp has 8 blocks unless told otherwise.
    expect(entryBlock(r.stdout, 'objective', 'realnvp')).toMatch(/^ {6}blocks +integer .* = 8$/m);
    expect(entryBlock(r.stdout, 'backend', 'wasm')).toContain('the default');
  });

  it('--json: the ids by kind, the plugins, and each option schema with its defaults', async () => {
    const r = await runPfm(['list', '--json']);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as { entries: Record<string, { id: string; plugin: string; options: unknown }[]>; plugins: { name: string }[] };
    expect(Object.keys(listed.entries)).toEqual([...ENTRY_KINDS]);
    for (const kind of ENTRY_KINDS) {
      expect(listed.entries[kind]!.map((e) => e.id)).toEqual(registry.ids(kind));
      for (const info of registry.list(kind)) {
        expect(listed.entries[kind]!.find((e) => e.id === info.id)).toEqual({ id: info.id, description: info.description, plugin: info.plugin, options: info.options });
      }
    }
    expect(listed.plugins.map((p) => p.name)).toEqual(cliPlugins.map((p) => p.name));
  });

  it('--plugin adds the ids of a user plugin to every kind it registers; --kind filters', async () => {
    const r = await runPfm(['list', '--json', '--plugin', FIXTURE_PLUGIN]);
    expect(r.code).toBe(0);
    const { entries } = JSON.parse(r.stdout) as { entries: Record<string, { id: string; plugin: string }[]> };
    expect(entries.discrepancy).toContainEqual(expect.objectContaining({ id: 'mean-gap', plugin: 'pfm-cli-fixture' }));
    expect(entries.objective).toContainEqual(expect.objectContaining({ id: 'explode', plugin: 'pfm-cli-fixture' }));
    expect(entries.dataset).toContainEqual(expect.objectContaining({ id: 'fixture-line', plugin: 'pfm-cli-fixture' }));
    const only = await runPfm(['list', '--kind', 'discrepancy', '--plugin', FIXTURE_PLUGIN]);
    expect(only.stdout).toMatch(/^discrepancy \(\d+\)/);
    expect(only.stdout).toMatch(/^ {6}scale +number > 0 = 1$/m);
    expect(only.stdout).not.toContain('objective (');
  });

  it('an unknown kind is an error listing the kinds', async () => {
    expect(errorLineOf(await runPfm(['list', '--kind', 'metric']))).toBe(`pfm list: --kind: unknown kind "metric"; kinds: ${ENTRY_KINDS.join(', ')}`);
  });
});
