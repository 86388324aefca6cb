import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { WIDE_DATA_CASES, describeWideDataMeasurement, wideDataFlops, wideDataLabel, wideDataShape, wideDataSkipReason } from './wide-data-step.js';

describe('wide-data speed cases', () => {
  it('cover d ∈ {10⁴, 10⁵} × n ∈ {1, 10⁴} and the 1 × 200,000 case at batch 64, with their labels', () => {
    expect(WIDE_DATA_CASES.map(wideDataShape)).toEqual([
      { rows: 1, cols: 10_000, batch: 256 },
      { rows: 10_000, cols: 10_000, batch: 256 },
      { rows: 1, cols: 100_000, batch: 256 },
      { rows: 10_000, cols: 100_000, batch: 256 },
      { rows: 1, cols: 200_000, batch: 64 },
    ]);
    expect(wideDataLabel('wide-step-d2e5-n1-b64')).toBe('one FM training step on 1 × 200000 data, default MLP 200001→64×3→200000, batch 64, Adam');
    expect(wideDataLabel('wide-step-d1e5-n1')).toBe('one FM training step on 1 × 100000 data, default MLP 100001→64×3→100000, batch 256, Adam');
    expect(() => wideDataShape('wide-step-d1e6-n1' as never)).toThrow(/id must be one of wide-step-d1e4-n1, .*, got "wide-step-d1e6-n1"/);
  });

  it('count the FLOPs of the step\'s matrix products and report GFLOP/s from wall and CPU medians', () => {
    // Weights 64·200,001 + 2·64² + 64·200,000 = 25,608,256; three products per layer but the first's dx.
    expect(wideDataFlops('wide-step-d2e5-n1-b64')).toBe(2 * 64 * (3 * 25_608_256 - 64 * 200_001));
    const line = describeWideDataMeasurement('wide-step-d2e5-n1-b64', { seconds: [3, 1, 2], cpuSeconds: [2, 1.5, 9], plannedBytes: 2 ** 30, peakRssGrowthBytes: 2 ** 29 });
    expect(line).toBe(
      'wide-step-d2e5-n1-b64: 8.20 GFLOP of products a step, median 2.00 s (4.10 GFLOP/s), CPU 2.00 s (4.10 GFLOP/s); memory plan 1024 MiB, peak RSS grew by 512 MiB',
    );
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
