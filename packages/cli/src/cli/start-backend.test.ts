import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';
import { THREADS_ENV, threadsChoice, workOfFlags } from './start-backend.js';

describe('--threads and PFM_THREADS', () => {
  it('the flag wins over the environment, which wins over auto', () => {
    expect(threadsChoice(undefined, undefined)).toEqual({ threads: 'auto' });
    expect(threadsChoice(undefined, ' 2 ')).toEqual({ threads: 2, where: THREADS_ENV });
    expect(threadsChoice('1', '2')).toEqual({ threads: 1, where: '--threads' });
    expect(threadsChoice('auto', '2')).toEqual({ threads: 'auto', where: '--threads' });
    expect(threadsChoice(undefined, '')).toEqual({ threads: 'auto' });
  });

  it.each([
    ['0', undefined, '--threads: expected "auto" or an integer from 1 to 64, got "0"'],
    ['65', undefined, '--threads: expected "auto" or an integer from 1 to 64, got "65"'],
    ['1.5', undefined, '--threads: expected "auto" or an integer from 1 to 64, got "1.5"'],
    [undefined, 'many', 'PFM_THREADS: expected "auto" or an integer from 1 to 64, got "many"'],
  ])('refuses %s / %s, naming where the value came from', (flag, env, message) => {
    expect(() => threadsChoice(flag, env)).toThrow(message);
  });

  it('reads the work per kernel from the data and output flags', () => {
    expect(workOfFlags({ data: 'moons.csv' })).toBe('small');
    expect(workOfFlags({ data: 'points.JSON' })).toBe('small');
    expect(workOfFlags({ data: 'mnist' })).toBe('large');
    expect(workOfFlags({ data: 'digits/' })).toBe('large');
    expect(workOfFlags({ data: 'x.npy' })).toBe('large');
    expect(workOfFlags({ model: 'm.json', grid: 'g.png' })).toBe('large');
    expect(workOfFlags({ data: 'x.csv', metric: 'fld' })).toBe('large');
    expect(workOfFlags({ model: 'm.json' })).toBeUndefined();
  });

  it('the command line refuses a bad count and threads on the cpu backend, and runs with --threads 1 on wasm', async () => {
    const bad = await runPfm(['data', 'moons', '-n', '8', '--threads', 'two', '--out', 'unused.csv']);
    expect(errorLineOf(bad)).toBe('pfm data: --threads: expected "auto" or an integer from 1 to 64, got "two"');
    const cpu = await runPfm(['data', 'moons', '-n', '8', '--backend', 'cpu', '--threads', '2', '--out', 'unused.csv']);
    expect(errorLineOf(cpu)).toBe('pfm data: --threads 2: the cpu backend runs on one thread; threads are for --backend wasm');
    const previous = process.env[THREADS_ENV];
    process.env[THREADS_ENV] = 'lots';
    try {
      const env = await runPfm(['data', 'moons', '-n', '8', '--out', 'unused.csv']);
      expect(errorLineOf(env)).toBe('pfm data: PFM_THREADS: expected "auto" or an integer from 1 to 64, got "lots"');
    } finally {
      if (previous === undefined) delete process.env[THREADS_ENV];
      else process.env[THREADS_ENV] = previous;
    }
    const ok = await runPfm(['data', 'moons', '-n', '8', '--threads', '1', '--out', join(scratchDir(), 'm.csv')]);
    expect(ok.code, ok.stderr).toBe(0);
    const help = await runPfm(['sample', '--help']);
    expect(help.stdout).toMatch(/--threads N\|auto/);
  });
});
