import { describe, expect, it } from 'vitest';
import { pythonReference } from './python-reference.js';
import * as tf from '@tensorflow/tfjs-core';
import { median } from './median.js';
import { profileTrainingStep, runSpeedCases } from './speed-cases.js';

describe('the speed suite', () => {
  it('--profile: the per-kernel costs of a training step add up and count the matmuls of 4 dense layers', async () => {
    const profile = await profileTrainingStep(2);
    expect(profile.steps).toBe(2);
    const byName = new Map(profile.kernels.map((k) => [k.kernel, k]));
    // The 3 SiLU layers are composed: 3 forward products, 3 weight gradients, 2 input gradients
    // (the first layer needs none); the linear output layer is one fused kernel each way.
    expect(byName.get('BatchMatMul')?.calls).toBe(8);
    expect(byName.get('PfmFusedDense')?.calls).toBe(1);
    expect(byName.get('PfmFusedDenseGrad')?.calls).toBe(1);
    expect(byName.get('Sigmoid')?.calls).toBe(3); // SiLU on the 3 hidden layers
    const total = profile.kernels.reduce((sum, k) => sum + k.ms, 0);
    expect(profile.kernelMs).toBeCloseTo(total, 9);
    expect(profile.kernelMs).toBeGreaterThan(0);
    expect(profile.stepMs).toBeGreaterThanOrEqual(profile.kernelMs);
    for (let i = 1; i < profile.kernels.length; i++) expect(profile.kernels[i - 1]!.ms).toBeGreaterThanOrEqual(profile.kernels[i]!.ms);
  });

  it('--profile of the 3×64 SELU step: every layer is one fused kernel each way, no product or SELU kernel left', async () => {
    const profile = await profileTrainingStep(1, { hidden: [64, 64, 64], activation: 'selu' });
    const byName = new Map(profile.kernels.map((k) => [k.kernel, k]));
    expect(byName.get('PfmFusedDense')?.calls).toBe(4);
    expect(byName.get('PfmFusedDenseGrad')?.calls).toBe(4);
    for (const gone of ['BatchMatMul', 'Selu', 'Exp', 'Select']) expect(byName.has(gone), gone).toBe(false);
  });

  it('the MLP training cases record steps per CPU second beside the wall rates, one per repeat', async () => {
    const before = tf.memory().numTensors;
    const [result] = await runSpeedCases({ repeats: 2, trainSteps: 2, pairPoints: 8, matmulSize: 8, cases: ['train-mlp-64-selu'] });
    expect(tf.memory().numTensors).toBe(before);
    expect(result?.repeats).toHaveLength(2);
    expect(result?.cpuRepeats).toHaveLength(2);
    for (const rate of result!.cpuRepeats!) expect(rate).toBeGreaterThan(0);
    // One thread computes the step, so its CPU time is at most the wall time plus the process's
    // other threads (tfjs's and vitest's): a CPU rate far below the wall rate would mean another clock.
    expect(result!.cpuMedian).toBeGreaterThan(0.2 * result!.median);
    expect(result!.cpuMedian).toBe(median(result!.cpuRepeats!));
  });

  it('the python reference says so, and goes on, when the interpreter asked for does not exist', () => {
    const before = process.env.PFM_PYTHON;
    process.env.PFM_PYTHON = 'no-such-python-interpreter';
    try {
      const reference = pythonReference({ repeats: 1, trainSteps: 1, w2n: 0, threads: [1] });
      expect(reference.available).toEqual({ torch: false, pot: false });
      expect(reference.note).toBe('python3 not found: reference skipped');
      expect(reference.trainStepsPerSecond).toEqual({});
    } finally {
      if (before === undefined) delete process.env.PFM_PYTHON;
      else process.env.PFM_PYTHON = before;
    }
  });
});
