import { definePlugin } from '@pfm/core';
import { datasetsPlugin } from '@pfm/datasets';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './create-default-registry.js';
import { defaultPlugins } from './default-plugins.js';

const moonsEntry = datasetsPlugin.entries.find((e) => e.id === 'moons')!;

describe('defaultPlugins', () => {
  it('lists core, datasets, ipm, likelihood and flows, in that order, and cannot be changed', () => {
    expect(defaultPlugins.map((p) => p.name)).toEqual(['@pfm/core', '@pfm/datasets', '@pfm/ipm', '@pfm/likelihood', '@pfm/flows']);
    expect(Object.isFrozen(defaultPlugins)).toBe(true);
  });

  it('createDefaultRegistry registers every entry of every default plugin, one method of each family reachable', () => {
    const registry = createDefaultRegistry();
    expect(registry.plugins.map((p) => p.name)).toEqual(defaultPlugins.map((p) => p.name));
    for (const plugin of defaultPlugins) {
      for (const entry of plugin.entries) expect(registry.has(entry.kind, entry.id), `${entry.kind} ${entry.id}`).toBe(true);
    }
    for (const id of ['mmd', 'realnvp', 'flow-matching']) expect(registry.has('objective', id)).toBe(true);
    expect(registry.has('dataset', 'moons')).toBe(true);
  });

  it('adds the extra plugins after the defaults, and a duplicate id throws naming it', () => {
    const extra = definePlugin({ name: 'user', version: '1.0.0', entries: [{ ...moonsEntry, id: 'my-moons' }] });
    const registry = createDefaultRegistry({ plugins: [extra] });
    expect(registry.plugins.at(-1)?.name).toBe('user');
    expect(registry.has('dataset', 'my-moons')).toBe(true);
    const clash = definePlugin({ name: 'clash', version: '1.0.0', entries: [moonsEntry] });
    expect(() => createDefaultRegistry({ plugins: [clash] })).toThrow(/moons/);
  });

  it('makes a new registry each call (registries are values)', () => {
    const a = createDefaultRegistry();
    a.use(definePlugin({ name: 'user', version: '1.0.0', entries: [{ ...moonsEntry, id: 'only-in-a' }] }));
    expect(createDefaultRegistry().has('dataset', 'only-in-a')).toBe(false);
  });
});
