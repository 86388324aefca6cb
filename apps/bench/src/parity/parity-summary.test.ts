// The parity table's statistics and verdicts.
import { describe, expect, it } from 'vitest';
import { headlineMetrics, parityMarkdown, parityRows, spread, verdict, type ParityRecord } from './parity-summary.js';

function record(impl: 'pfm' | 'torch', seed: number, w2: number, nll: number | null = null, dim = 4): ParityRecord {
  return { target: 'mixture', dim, method: 'realnvp', seed, impl, status: 'ok', metrics: { w2, slicedW2: w2 / 2, energy: w2 / 10, nll, trainSeconds: 1 } };
}

describe('parity summary', () => {
  it('spread: mean, sample std, min, max', () => {
    const s = spread([1, 2, 3, 6])!;
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect([s.min, s.max, s.n]).toEqual([1, 6, 4]);
    expect(spread([])).toBeNull();
  });

  it('verdict: better at or below the twin’s best seed, within up to its worst, worse above', () => {
    const torch = spread([1, 2, 3])!;
    expect(verdict(spread([0.5, 1.5])!, torch)).toBe('better');
    expect(verdict(spread([2.5, 3.5])!, torch)).toBe('within');
    expect(verdict(spread([3, 3.2])!, torch)).toBe('worse');
  });

  it('rows: W2 up to d = 4, sliced W2 beyond; the worst verdict is the row’s; failed runs are left out', () => {
    expect(headlineMetrics(4)[0]).toBe('w2');
    expect(headlineMetrics(8)[0]).toBe('slicedW2');
    const records: ParityRecord[] = [
      record('pfm', 0, 1.0, 3.1),
      record('pfm', 1, 1.2, 3.3),
      record('torch', 0, 1.1, 3.0),
      record('torch', 1, 1.3, 3.1),
      { target: 'mixture', dim: 4, method: 'realnvp', seed: 2, impl: 'pfm', status: 'failed', error: 'boom' },
    ];
    const [row] = parityRows(records);
    expect(row!.pfm.w2!.n).toBe(2);
    // W2 1.1 ≤ the twin's best 1.1: better; energy likewise; NLL 3.2 above the twin's worst 3.1: worse.
    expect(row!.verdicts).toEqual({ w2: 'better', energy: 'better', nll: 'worse' });
    expect(row!.overall).toBe('worse');
    const md = parityMarkdown([row!], ['a note']);
    expect(md).toContain('- a note');
    expect(md).toContain('| mixture | 4 | realnvp | 1.100 ± 0.141 | 1.200 ± 0.141 |');
    expect(md).toContain('**worse** (w2: better, energy: better, nll: worse)');
  });

  it('a row without twin runs has no verdict', () => {
    const [row] = parityRows([record('pfm', 0, 1)]);
    expect(row!.overall).toBeNull();
    expect(parityMarkdown([row!])).toContain('no twin');
  });
});
