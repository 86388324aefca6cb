import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, OptionsError, RegistryError } from './registry.js';
import { definePlugin } from './plugin.js';
import { corePlugin } from '../maps/core-plugin.js';

const dataset = (id: string) => ({
  kind: 'dataset' as const,
  id,
  description: `the ${id} set`,
  schema: z.object({ noise: z.number().min(0).default(0.1) }).strict(),
  create: () => ({ dim: 2, sample: () => { throw new Error('not used'); } }),
});

describe('registry', () => {
  it('registers plugins, lists ids by kind and fills option defaults', () => {
    const r = createRegistry({ plugins: [corePlugin, definePlugin({ name: 'toy', version: '1', entries: [dataset('moons')] })] });
    expect(r.ids('map')).toEqual(['conv-encoder', 'conv-generator', 'mlp', 'time-mlp', 'unet']);
    expect(r.has('dataset', 'moons')).toBe(true);
    expect(r.parseOptions('dataset', 'moons', {})).toEqual({ noise: 0.1 });
    const info = r.list('dataset');
    expect(info[0]).toMatchObject({ kind: 'dataset', id: 'moons', plugin: 'toy' });
    expect(JSON.stringify(info[0]!.options)).toContain('"default":0.1');
    expect(r.ids('optimizer')).toEqual(['adam', 'adamw', 'sgd']);
    expect(r.list().length).toBe(9);
  });

  it('an unknown id lists the known ones; a bad option names the field and the value', () => {
    const r = createRegistry({ plugins: [definePlugin({ name: 'toy', version: '1', entries: [dataset('moons'), dataset('circles')] })] });
    expect(() => r.get('dataset', 'mons')).toThrow(RegistryError);
    expect(() => r.get('dataset', 'mons')).toThrow('unknown dataset "mons"; known dataset ids: circles, moons');
    expect(() => r.get('objective', 'x')).toThrow(
      'known objective ids: (none registered: add ipmPlugin from @pfm/ipm, likelihoodPlugin from @pfm/likelihood or flowsPlugin from @pfm/flows)',
    );
    expect(() => r.parseOptions('dataset', 'moons', { noise: -1 })).toThrow(OptionsError);
    expect(() => r.parseOptions('dataset', 'moons', { noise: -1 })).toThrow(/options\.noise: .*>=0/);
    expect(() => r.parseOptions('dataset', 'moons', { nose: 1 })).toThrow(/nose/);
  });

  it('a duplicate or malformed id is an error and leaves the registry unchanged', () => {
    const r = createRegistry({ plugins: [definePlugin({ name: 'a', version: '1', entries: [dataset('moons')] })] });
    const dup = definePlugin({ name: 'b', version: '1', entries: [dataset('circles'), dataset('moons')] });
    expect(() => r.use(dup)).toThrow('plugin b: duplicate dataset id "moons" (already registered by a)');
    expect(r.has('dataset', 'circles')).toBe(false);
    expect(() => r.use(definePlugin({ name: 'c', version: '1', entries: [dataset('Two_Moons')] }))).toThrow(/not kebab-case/);
    expect(() => definePlugin({ name: '', version: '1', entries: [] })).toThrow(/non-empty string/);
    expect(() => r.use(definePlugin({ name: 'd', version: '1', entries: [{ ...dataset('x'), kind: 'nope' as 'dataset' }] }))).toThrow(/unknown kind "nope"/);
  });

  it('registries are independent values', () => {
    const a = createRegistry({ plugins: [corePlugin] });
    const b = createRegistry();
    expect(a.has('map', 'mlp')).toBe(true);
    expect(b.has('map', 'mlp')).toBe(false);
  });
});
