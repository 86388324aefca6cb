import { describe, expect, it } from 'vitest';
import { autoThreads } from './auto-threads.js';

describe("autoThreads (the rule of threads: 'auto')", () => {
  it.each([
    // cores, load average, work → threads
    [2, 0.1, undefined, 2],
    [2, 0.6, undefined, 1], // 1.4 idle cores: a pool thread would share a core
    [2, 0.4, undefined, 2], // 1.6 idle: rounds to 2
    [2, 20, undefined, 1], // the measured busy machine
    [8, 3.2, undefined, 5],
    [8, 0, 'large', 8],
    [8, 0, 'small', 1],
    [2, 0, 'small', 1],
    [1, 0, 'large', 1],
  ] as const)('%i cores, load %f, work %s → %i', (cores, loadAverage, work, threads) => {
    const decision = autoThreads({ cores, loadAverage, ...(work === undefined ? {} : { work }) });
    expect(decision.threads).toBe(threads);
    expect(decision.reason.length).toBeGreaterThan(0);
  });

  it('says why it took one thread', () => {
    expect(autoThreads({ cores: 2, loadAverage: 20 }).reason).toBe('busy machine: load average 20.00 on 2 cores leaves fewer than 2 idle');
    expect(autoThreads({ cores: 4, loadAverage: 0, work: 'small' }).reason).toMatch(/^small work per kernel/);
  });

  it('refuses bad input, naming the field and the value', () => {
    expect(() => autoThreads({ cores: 0, loadAverage: 0 })).toThrow('autoThreads: cores must be a positive integer, got 0');
    expect(() => autoThreads({ cores: 2, loadAverage: -1 })).toThrow('autoThreads: loadAverage must be a finite number ≥ 0, got -1');
    expect(() => autoThreads({ cores: 2, loadAverage: 0, work: 'huge' as never })).toThrow(`autoThreads: work must be 'small' or 'large', got "huge"`);
  });
});
