import { describe, expect, it } from 'vitest';
import { soakVerdict, type SoakSample } from './soak-verdict.js';

const MiB = 1024 * 1024;

/** Samples every 100 of 1,000 steps with RSS = base + perStep·step (+ a sawtooth of noise). */
function series(perStep: number, tensors: (step: number) => number, noise = 0): SoakSample[] {
  return Array.from({ length: 11 }, (_, i) => ({
    step: i * 100,
    numTensors: tensors(i * 100),
    rss: 200 * MiB + perStep * i * 100 + (i % 2 === 0 ? noise : -noise),
    wasmHeap: 16 * MiB,
    seconds: i,
  }));
}

describe('soakVerdict', () => {
  it('passes a flat run and measures its slope in bytes/step', () => {
    const v = soakVerdict(series(10, () => 42, 3 * MiB), 1000, 16);
    expect(v.ok, v.failures.join('; ')).toBe(true);
    // The alternating ±3 MiB biases the fitted slope by under 1/100 MiB per step (it averages out).
    expect(Math.abs(v.rssSlopeBytesPerStep - 10)).toBeLessThan(MiB / 100);
    expect(v.fitFromStep).toBe(100);
    expect(v.numTensorsRange).toEqual([42, 42]);
    expect(v.wasmHeapGrowthMiB).toBe(0);
  });

  it('fails a leak of RSS beyond the bound, naming the slope and the bound', () => {
    // 20 KiB/step over the fitted 900 steps: 17.6 MiB.
    const v = soakVerdict(series(20 * 1024, () => 42), 1000, 16);
    expect(v.ok).toBe(false);
    expect(v.failures).toEqual(['RSS grows by 20480.0 bytes/step, 17.6 MiB over steps 100–1000; the bound is 16 MiB']);
  });

  it('fails on one extra tensor at any sample after the first step, but not on the count before training', () => {
    const v = soakVerdict(series(0, (s) => (s === 700 ? 43 : 42)), 1000, 16);
    expect(v.failures).toEqual(['numTensors changes during training: 42 at step 100, 43 at step 700']);
    expect(soakVerdict(series(0, (s) => (s === 0 ? 3 : 42)), 1000, 16).ok).toBe(true);
  });

  it('refuses a run with too few samples to fit', () => {
    expect(() => soakVerdict(series(0, () => 1).slice(0, 3), 1000, 16)).toThrow('soak: 2 memory sample(s) in the last 90% of the steps; expected at least 3 (sample more often)');
  });
});
