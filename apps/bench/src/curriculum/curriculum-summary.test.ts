import { describe, expect, it } from 'vitest';
import { change, curriculumMarkdown, curriculumRows, isFailure, meanStd, type CurriculumRecord } from './curriculum-summary.js';

const record = (method: string, variant: CurriculumRecord['variant'], seed: number, covered: number, energy: number): CurriculumRecord => ({
  target: 'ring',
  method,
  variant,
  seed,
  status: 'ok',
  metrics: { covered, reached: covered, modes: 8, highQuality: covered / 8, energy, nonFinite: 0, trainSeconds: 1 },
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
      record('flow-100', 'reference', 0, 8, 0.01),
    ];
    const rows = curriculumRows(records);
    expect(rows.map((r) => [r.method, r.variant, r.runs, r.failures])).toEqual([
      ['gan', 'plain', 2, 2],
      ['gan', 'curriculum', 2, 0],
      ['flow-100', 'reference', 1, 0],
    ]);
    const md = curriculumMarkdown(records, '# t');
    expect(md).toContain('| gan | plain | 2 | 2/2 | 2.5 ± 0.7 / 8 | 2.5 ± 0.7 / 8 |');
    expect(md).toContain('| gan | better | better | better | better | 2/2 → 0/2 |');
  });
});
