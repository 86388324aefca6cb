import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { BatchIndexer } from './batch-indexer.js';

describe('BatchIndexer', () => {
  it('covers every row exactly once per epoch, also when a batch straddles two epochs', () => {
    const indexer = new BatchIndexer(10, 4, createRng(3));
    const rows = [0, 1, 2, 3, 4].flatMap((k) => Array.from(indexer.indices(k)));
    // 20 indices = two epochs of 10 rows; batch 2 holds the end of epoch 0 and the start of epoch 1.
    expect([...rows.slice(0, 10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...rows.slice(10, 20)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.slice(0, 10)).toEqual(Array.from(createRng(3).fold(0).permutation(10)));
  });

  it('batch k depends only on (seed, k): a fresh indexer jumping to k agrees with one that walked there', () => {
    const walked = new BatchIndexer(7, 3, createRng(11));
    for (let k = 0; k < 9; k++) walked.indices(k);
    const jumped = new BatchIndexer(7, 3, createRng(11));
    expect(Array.from(jumped.indices(9))).toEqual(Array.from(walked.indices(9)));
    expect(Array.from(new BatchIndexer(7, 3, createRng(12)).indices(9))).not.toEqual(Array.from(walked.indices(9)));
  });
});
