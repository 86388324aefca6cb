import * as tf from '@tensorflow/tfjs-core';
import { wasm } from '@pfm/backend-wasm';
import { describe, expect, it } from 'vitest';
import { CNF_TRAIN_CASES, cnfTrainLabel, cnfTrainRate } from './cnf-train.js';

describe('the CNF speed cases', () => {
  it('time a step of each recipe without leaking tensors, and label it with its setup', async () => {
    await wasm({ threads: 1 }).init();
    const before = tf.memory().numTensors;
    for (const id of CNF_TRAIN_CASES) {
      const rates = await cnfTrainRate(id, { repeats: 2, trainSteps: 1 });
      expect(rates).toHaveLength(2);
      for (const r of rates) expect(r).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(cnfTrainLabel('train-cnf-moons')).toMatch(/^CNF training step \(exact divergence, rk4 × 2\), MLP 3→64×3→2 SELU, moons, batch 512/);
  });

  it('refuses an unknown case, listing the known ones', async () => {
    await expect(cnfTrainRate('train-cnf-rings' as never, { repeats: 1, trainSteps: 1 })).rejects.toThrow(
      'cnf speed case: id must be one of train-cnf-moons, train-fm-moons, got "train-cnf-rings"',
    );
  });
});
