import { describe, expect, it } from 'vitest';
import { change, curriculumMarkdown, curriculumRows, isFailure, meanStd, type CurriculumRecord } from './curriculum-summary.js';

const record = (method: string, variant: CurriculumRecord['variant'], seed: number, covered: number, energy: number): CurriculumRecord => ({
  target: 'ring',
  method,
  variant,
  seed,
  status: 'ok',
  metrics: { covered, reached: covered, modes: 8, highQuality: covered / 8, energy, nonFinite: 0, trainSeconds: 1, steps: variant === 'plain-time' ? 90 + seed : 100, cpuSeconds: 2 },
});

describe('curriculum summary', () => {
  it('mean ± sample std, failures (diverged, non-finite or under half the modes), and changes beyond two standard errors', () => {
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 });
    expect(isFailure(record('gan', 'plain', 0, 3, 0.1))).toBe(true);
    expect(isFailure(record('gan', 'plain', 0, 4, 0.1))).toBe(false);
    expect(isFailure({ ...record('gan', 'plain', 0, 8, 0.1), status: 'failed', error: 'diverged' })).toBe(true);
    // Means 2 and 6, std 1 each, n = 3: se = √(2/3) ≈ 0.82, difference 4 > 1.63: beyond noise.
    expect(change({ mean: 2, std: 1, n: 3 }, { mean: 6, std: 1, n: 3 }, true)).toBe('better');
    expect(change({ mean: 2, std: 1, n: 3 }, { mean: 6, std: 1, n: 3 }, false)).toBe('worse');
    expect(change({ mean: 2, std: 1, n: 3 }, { mean: 3, std: 1, n: 3 }, true)).toBe('≈');
  });

  it('groups seeds into rows and reports the curriculum against the plain objective', () => {
    const records = [
      record('gan', 'plain', 0, 2, 0.5),
      record('gan', 'plain', 1, 3, 0.4),
      record('gan', 'curriculum', 0, 8, 0.05),
      record('gan', 'curriculum', 1, 7, 0.06),
      record('gan', 'plain-time', 0, 4, 0.2),
      record('gan', 'plain-time', 1, 5, 0.3),
      record('flow-100', 'reference', 0, 8, 0.01),
    ];
    const rows = curriculumRows(records);
    expect(rows.map((r) => [r.method, r.variant, r.runs, r.failures])).toEqual([
      ['gan', 'plain', 2, 2],
      ['gan', 'curriculum', 2, 0],
      ['gan', 'plain-time', 2, 0],
      ['flow-100', 'reference', 1, 0],
    ]);
    const md = curriculumMarkdown(records, '# t');
    expect(md).toContain('| gan | plain | 2 | 2/2 | 2.5 ± 0.7 / 8 | 2.5 ± 0.7 / 8 | 0.313 ± 0.088 | 0.4500 ± 0.0707 | 100 ± 0 | 2.0 ± 0.0 | 1.0 ± 0.0 |');
    expect(md).toContain('| gan | plain-time | 2 | 0/2 | 4.5 ± 0.7 / 8 | 4.5 ± 0.7 / 8 | 0.563 ± 0.088 | 0.2500 ± 0.0707 | 91 ± 1 | 2.0 ± 0.0 | 1.0 ± 0.0 |');
    expect(md).toContain('| gan | equal steps | better | better | better | better | 2/2 → 0/2 |');
    // Modes 4.5 ± 0.7 (plain-time) vs 7.5 ± 0.7: se = 0.71, difference 3 > 1.41; energy 0.25 vs 0.055: se = 0.05, difference 0.195 > 0.1.
    expect(md).toContain('| gan | equal CPU time | better | better | better | better | 0/2 → 0/2 |');
    expect(md).not.toContain('short schedule');
  });
});
