import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATASETS_PLUGIN_VERSION, datasetsPlugin } from './datasets-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('datasetsPlugin', () => {
  it('carries the name and version of its package.json (model files record them)', () => {
    expect(datasetsPlugin.name).toBe(pkg.name);
    expect(datasetsPlugin.version).toBe(pkg.version);
    expect(DATASETS_PLUGIN_VERSION).toBe(pkg.version);
  });
});
