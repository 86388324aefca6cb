import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ipmPlugin } from './ipm-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('ipmPlugin', () => {
  it('carries the name and version of its package.json (model files record them)', () => {
    expect(ipmPlugin.name).toBe(pkg.name);
    expect(ipmPlugin.version).toBe(pkg.version);
  });
});
