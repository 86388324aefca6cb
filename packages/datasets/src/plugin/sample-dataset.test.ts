import { createRng } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { moons } from '../generators/moons.js';
import { twoIntervals } from '../generators/two-intervals.js';
import { sampleDataset } from './sample-dataset.js';

describe('sampleDataset', () => {
  it('returns the same points as the generator with createRng(seed), as a [rows, cols] table', () => {
    const table = sampleDataset('moons', 100, 7, { variant: 'torchcfm' });
    expect(table.rows).toBe(100);
    expect(table.cols).toBe(2);
    expect(table.values).toBeInstanceOf(Float32Array);
    const t = moons({ variant: 'torchcfm' }).sample(100, createRng(7));
    expect(Array.from(table.values)).toEqual(Array.from(t.dataSync()));
    t.dispose();
    const one = sampleDataset('two-intervals', 10, 3);
    expect(one.cols).toBe(1);
    const u = twoIntervals().sample(10, createRng(3));
    expect(Array.from(one.values)).toEqual(Array.from(u.dataSync()));
    u.dispose();
  });

  it('names the known ids for an unknown one and the field for a bad option', () => {
    expect(() => sampleDataset('moon', 10, 0)).toThrow(/unknown dataset "moon"; known dataset ids: .*moons/);
    expect(() => sampleDataset('circles', 10, 0, { noise: -1 })).toThrow(/options\.noise/);
    expect(() => sampleDataset('moons', -5, 0)).toThrow(/sample count n/);
  });
});
