import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { modeCoverage } from './mode-coverage.js';
import { sampleCurriculumTarget, targetModes } from './curriculum-targets.js';

describe('modeCoverage', () => {
  it('a sample of the target covers every mode with ≈ 98.9% high-quality points (P(χ²₂ ≤ 9) = 1 − e^{−4.5})', () => {
    for (const target of ['grid', 'ring'] as const) {
      const modes = targetModes(target)!;
      const c = modeCoverage(sampleCurriculumTarget(target, 5000, createRng(1)), modes);
      expect(c.covered).toBe(modes.centres.length);
      expect(c.reached).toBe(modes.centres.length);
      // 5000 points: the binomial standard error of 0.989 is 0.0015; 4 of them.
      expect(Math.abs(c.highQuality - (1 - Math.exp(-4.5)))).toBeLessThan(0.006);
    }
  });

  it('counts a collapsed sample, a blurred one and non-finite points as such', () => {
    const modes = targetModes('ring')!;
    const collapsed = new Float32Array(2000).map((_, i) => (i % 2 === 0 ? 2 : 0));
    expect(modeCoverage(collapsed, modes)).toEqual({ covered: 1, reached: 1, modes: 8, highQuality: 1, nonFinite: 0 });
    // Blurred: every point 0.3 off its mode (≫ 3σ = 0.06, < half the spacing 0.77): all reached, none covered.
    const blurred = new Float32Array(1600).map((_, i) => {
      const k = Math.floor(i / 200);
      return i % 2 === 0 ? 2.3 * Math.cos((2 * Math.PI * k) / 8) : 2.3 * Math.sin((2 * Math.PI * k) / 8);
    });
    expect(modeCoverage(blurred, modes)).toMatchObject({ covered: 0, reached: 8, highQuality: 0 });
    // Two modes only, and a handful of stray points at a third (below n/(4K) = 31.25 of 1000).
    const x = new Float32Array(2000);
    for (let i = 0; i < 1000; i++) [x[2 * i], x[2 * i + 1]] = i < 20 ? [0, 2] : i % 2 === 0 ? [2, 0] : [-2, 0];
    x[0] = Number.NaN;
    const c = modeCoverage(x, modes);
    expect(c.covered).toBe(2);
    expect(c.reached).toBe(2);
    expect(c.nonFinite).toBe(1);
    expect(c.highQuality).toBeCloseTo(999 / 1000, 12);
    expect(targetModes('moons')).toBeNull();
  });
});
