import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corePlugin } from './core-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('corePlugin', () => {
  it('carries the name and version of its package.json (model files record them)', () => {
    expect(corePlugin.name).toBe(pkg.name);
    expect(corePlugin.version).toBe(pkg.version);
  });
});
