// The parity table's statistics and verdicts.
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { headlineMetrics, noiseVerdict, parityMarkdown, parityRows, spread, verdict, type ParityRecord } from './parity-summary.js';

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

  it('noiseVerdict: the difference of means against two standard errors of it', () => {
    const torch = spread([1, 2, 3])!; // mean 2, s = 1
    // se = √(1/3 + 1/3) = 0.816: worse beyond 2 + 1.633, better below 2 − 1.633.
    expect(noiseVerdict(spread([3.5, 3.7, 3.9])!, torch)).toBe('worse'); // s = 0.2, se = 0.589, diff 1.7 > 1.18
    expect(noiseVerdict(spread([2.5, 3.5, 4.5])!, torch)).toBe('≈'); // diff 1.5 < 2·0.816
    expect(noiseVerdict(spread([0, 0.1, 0.2])!, torch)).toBe('better'); // diff −1.9 < −2·0.589
    // pfm's mean above the twin's worst seed reads worse by the issue's rule, ≈ here.
    expect(verdict(spread([2.5, 3.5, 4.5])!, spread([1, 2, 3.4])!)).toBe('worse');
    expect(noiseVerdict(spread([2.5, 3.5, 4.5])!, spread([1, 2, 3.4])!)).toBe('≈');
    expect(noiseVerdict(spread([5])!, torch)).toBeNull();
  });

  it('with no real difference, the issue rule reads worse ≈ 19% of the time with 3 seeds a side, the 2-s.e. rule ≈ 6%', () => {
    // Both sides' seeds drawn from one normal law, 20,000 times (seeded). The exact rates:
    // P(mean of 3 > max of 3) = 0.186 and P(Welch statistic > 2) with 3 + 3 seeds = 0.058 (4·10⁵
    // draws); the sampling error with 20,000 draws is ≤ 0.003, the bounds leave 0.01.
    const rng = createRng(21);
    const trials = 20_000;
    let issueWorse = 0;
    let noiseWorse = 0;
    for (let k = 0; k < trials; k++) {
      const draw = rng.normalArray(6);
      const pfm = spread(Array.from(draw.subarray(0, 3)))!;
      const torch = spread(Array.from(draw.subarray(3)))!;
      if (verdict(pfm, torch) === 'worse') issueWorse++;
      if (noiseVerdict(pfm, torch) === 'worse') noiseWorse++;
    }
    expect(Math.abs(issueWorse / trials - 0.186)).toBeLessThan(0.01);
    expect(Math.abs(noiseWorse / trials - 0.058)).toBeLessThan(0.01);
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
    // Two seeds a side: se = 0.141 on W2 (difference −0.1), 0.112 on NLL (difference 0.15): all ≈.
    expect(row!.noiseVerdicts).toEqual({ w2: '≈', energy: '≈', nll: '≈' });
    expect(row!.noiseOverall).toBe('≈');
    const md = parityMarkdown([row!], ['a note']);
    expect(md).toContain('- a note');
    expect(md).toContain('| mixture | 4 | realnvp | 1.100 ± 0.141 | 1.200 ± 0.141 |');
    expect(md).toContain('**worse** (w2: better, energy: better, nll: worse) | **≈** (w2: ≈, energy: ≈, nll: ≈) |');
  });

  it('a row without twin runs has no verdict', () => {
    const [row] = parityRows([record('pfm', 0, 1)]);
    expect(row!.overall).toBeNull();
    expect(parityMarkdown([row!])).toContain('no twin');
  });
});
