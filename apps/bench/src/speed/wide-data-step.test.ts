import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { WIDE_DATA_CASES, wideDataLabel, wideDataShape, wideDataSkipReason } from './wide-data-step.js';

describe('wide-data speed cases', () => {
  it('cover d ∈ {10⁴, 10⁵} × n ∈ {1, 10⁴} with their labels', () => {
    expect(WIDE_DATA_CASES.map(wideDataShape)).toEqual([
      { rows: 1, cols: 10_000 },
      { rows: 10_000, cols: 10_000 },
      { rows: 1, cols: 100_000 },
      { rows: 10_000, cols: 100_000 },
    ]);
    expect(wideDataLabel('wide-step-d1e5-n1')).toBe('one FM training step on 1 × 100000 data, default MLP 100001→64×3→100000, batch 256, Adam');
    expect(() => wideDataShape('wide-step-d1e6-n1' as never)).toThrow(/id must be one of wide-step-d1e4-n1, .*, got "wide-step-d1e6-n1"/);
  });

  it('skip a case whose data cannot fit, saying why', () => {
    const before = tf.memory().numTensors;
    expect(wideDataSkipReason('wide-step-d1e4-n1', 2 ** 34)).toBeUndefined();
    // 10⁴ × 10⁵ floats are 3.7 GiB, 7.5 GiB with the trainer's host copy.
    expect(wideDataSkipReason('wide-step-d1e5-n1e4', 2 ** 34)).toBe(
      tf.getBackend() === 'wasm'
        ? "its data alone take 3.7 GiB, more than half the wasm backend's 4 GiB heap"
        : 'its data take 7.5 GiB with the host copy, more than a quarter of the 16.0 GiB available',
    );
    if (tf.getBackend() !== 'wasm') expect(wideDataSkipReason('wide-step-d1e5-n1e4', 2 ** 40)).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });
});
