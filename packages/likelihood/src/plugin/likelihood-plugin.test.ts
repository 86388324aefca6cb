import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { likelihoodPlugin } from './likelihood-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('likelihoodPlugin', () => {
  it('carries the name and version of its package.json (model files record them)', () => {
    expect(likelihoodPlugin.name).toBe(pkg.name);
    expect(likelihoodPlugin.version).toBe(pkg.version);
  });
});
