import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowsPlugin } from './flows-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('flowsPlugin', () => {
  it('carries the name and version of its package.json (model files record them)', () => {
    expect(flowsPlugin.name).toBe(pkg.name);
    expect(flowsPlugin.version).toBe(pkg.version);
  });
});
