import { describe, expect, it } from 'vitest';
import { meanCurve, mnistMarkdown, type MnistMetrics, type MnistRecord } from './mnist-summary.js';

function metrics(fld: number, extra: Partial<MnistMetrics> = {}): MnistMetrics {
  return {
    fld,
    kid: 0.002,
    kidStd: 0.0001,
    bitsPerDim: null,
    nfe: 1,
    sampleMsPerImage: 0.5,
    steps: 100,
    stepsPerSecond: 2,
    trainSeconds: 50,
    wallSeconds: 60,
    stoppedBy: 'steps',
    fldByNfe: [],
    fldByTime: [],
    ...extra,
  };
}

const record = (method: string, seed: number, impl: 'pfm' | 'torch', m: MnistMetrics): MnistRecord => ({ method, seed, impl, status: 'ok', metrics: m });

describe('mnistMarkdown', () => {
  it('one table per method; mean ± std over seeds; a torch column only when the twin ran', () => {
    const md = mnistMarkdown(
      [
        record('energy', 0, 'pfm', metrics(10)),
        record('energy', 1, 'pfm', metrics(20)),
        record('vae', 0, 'pfm', metrics(30, { bitsPerDim: 1.5 })),
        record('vae', 0, 'torch', metrics(40, { bitsPerDim: 1.25 })),
        { method: 'gan', seed: 0, impl: 'pfm', status: 'failed', error: 'training diverged' },
      ],
      ['a note'],
    );
    expect(md).toContain('- a note');
    const energy = md.slice(md.indexOf('## energy'), md.indexOf('## vae'));
    expect(energy).toContain('| metric | pfm |\n');
    // mean 15, sample std 7.07 of {10, 20}
    expect(energy).toContain('| FLD (test, lower is better) | 15.00 ± 7.07 |');
    expect(energy).toContain('| bits/dim (test) | — |');
    const vae = md.slice(md.indexOf('## vae'), md.indexOf('## gan'));
    expect(vae).toContain('| metric | pfm | torch |');
    expect(vae).toContain('| bits/dim (test) | 1.500 | 1.250 |');
    expect(vae).toContain('| KID | 0.00200 | 0.00200 |');
    expect(md).toContain('Failed (pfm, seed 0): training diverged');
  });

  it('prints the NFE curve averaged over seeds and the training-time curve per seed', () => {
    const a = metrics(5, { fldByNfe: [{ nfe: 1, fld: 90 }, { nfe: 8, fld: 10 }], fldByTime: [{ step: 50, seconds: 25, fld: 40 }, { step: 100, seconds: 50, fld: 12 }] });
    const b = metrics(7, { fldByNfe: [{ nfe: 1, fld: 70 }, { nfe: 8, fld: 20 }] });
    const md = mnistMarkdown([record('flow-matching', 0, 'pfm', a), record('flow-matching', 1, 'pfm', b)]);
    expect(md).toContain('FLD against NFE (Euler), pfm: 1 → 80.00, 8 → 15.00');
    expect(md).toContain('FLD against training time, pfm seed 0: 25 s → 40.00, 50 s → 12.00 (steps 50, 100)');
    expect(md).not.toContain('pfm seed 1:');
  });
});

describe('meanCurve', () => {
  it('sorts by x and counts the seeds behind each point', () => {
    const rs = [record('m', 0, 'pfm', metrics(1, { fldByNfe: [{ nfe: 4, fld: 3 }, { nfe: 2, fld: 5 }] })), record('m', 1, 'pfm', metrics(1, { fldByNfe: [{ nfe: 4, fld: 1 }] }))];
    expect(meanCurve(rs, (m) => m.fldByNfe, (p) => p.nfe, (p) => p.fld)).toEqual([
      { x: 2, fld: 5, n: 1 },
      { x: 4, fld: 2, n: 2 },
    ]);
  });
});
