import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, createTrainingRun, largestBatchWithin, parseRecipe, planMemory, train, type TrainingRun } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import { actNorm } from './act-norm.js';
import { initializationSetupPass, initializeFromData, pullBackInChunks } from './initialize-from-data.js';
import { splineCoupling } from './spline-coupling.js';

describe('initializeFromData', () => {
  it('initialises from evenly strided rows above maxRows, so a sorted file is still seen whole', () => {
    // Rows sorted by value: 0, 1, …, 999 in one column. The first 10 rows alone would give a
    // mean of 4.5; the strided rows 0, 100, …, 900 give the whole range's mean 450.
    const x = tf.tidy(() => tf.reshape(tf.range(0, 1000), [1000, 1]) as tf.Tensor2D);
    const strided = actNorm({ dim: 1 });
    initializeFromData(strided, x, 10);
    const reference = actNorm({ dim: 1 });
    const rows = tf.tensor2d([0, 100, 200, 300, 400, 500, 600, 700, 800, 900], [10, 1]);
    reference.initialize(rows);
    const [a, b] = [strided, reference].map((layer) => layer.variables.map((v) => Array.from(v.dataSync())));
    expect(a).toEqual(b);
    expect(b![1]![0]).toBeCloseTo(450, 3); // the shift is the mean of the strided rows
    // At or below maxRows every row is used.
    const whole = actNorm({ dim: 1 });
    initializeFromData(whole, x, 1000);
    expect(whole.variables[1]!.dataSync()[0]).toBeCloseTo(499.5, 3);
    tf.dispose([x, rows]);
    for (const layer of [strided, reference, whole]) layer.dispose();
  });

  it('pulls the data back through a layer in chunks of rows: the rows of one pass, the memory of a chunk', () => {
    const before = tf.memory().numTensors;
    const layer = splineCoupling({ dim: 6, hidden: [16], bins: 5, tailBound: 2, finalScale: 1 }, createRng(4));
    const h = createRng(5).normal([37, 6]) as tf.Tensor2D;
    const [whole, logDet] = layer.inverseAndLogDet(h);
    // 37 rows in chunks of 8: four full chunks and a last one of 5.
    const chunked = pullBackInChunks(layer, h, undefined, 8);
    expect(chunked.shape).toEqual([37, 6]);
    const [a, b] = [whole.dataSync(), chunked.dataSync()];
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
    // At or below the chunk size it is one pass.
    const one = pullBackInChunks(layer, h, undefined, 37);
    expect(Array.from(one.dataSync())).toEqual(Array.from(a));
    tf.dispose([h, whole, logDet, chunked, one]);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the initialisation in the memory plan', () => {
  it('declares the rows it holds: the dequantised copy, the subsample above maxRows and four pulled-back layers', () => {
    expect(initializationSetupPass(1000, { dequantizedCopy: true })).toEqual({ name: 'data-dependent initialisation', heldRows: 1000 + 4000, chunkRows: 256 });
    expect(initializationSetupPass(100, { dequantizedCopy: false })).toEqual({ name: 'data-dependent initialisation', heldRows: 400, chunkRows: 100 });
    expect(initializationSetupPass(50_000, { dequantizedCopy: true, maxRows: 10_000 }).heldRows).toBe(50_000 + 10_000 + 40_000);
  });

  it('is counted: a run whose step fits a limit but whose initialisation does not is refused whatever the batch', async () => {
    const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
    // Pixels in [0, 1] of 48 "images" of 600 rows; NSF with the logit transform, batches of 4.
    const [rows, dim, batchSize] = [600, 48, 4];
    const start = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(6).uniform([rows, dim]) as tf.Tensor2D);
    const recipe = parseRecipe({ method: 'nsf', options: { blocks: 2, permutation: 'random', preprocess: {} }, model: { hidden: [16] }, steps: 1, batchSize }, registry);
    const before = tf.memory();
    // Building the run makes the parameters, not the initialisation: the plan comes first.
    const run: TrainingRun = createTrainingRun(recipe, data, registry);
    try {
      const plan = await planMemory(run, data, { batchSize });
      // What the set-up really needs: the data on the device, the parameters, and the peak of the
      // initialisation's copies and chunks (the run's setup(), which train() makes).
      const profile = await tf.profile(() => run.setup!());
      const setupMeasured = rows * dim * 4 + profile.peakBytes - before.numBytes;
      expect(plan.setupPass).toBe('data-dependent initialisation');
      const step = plan.dataBytes + plan.parameterBytes + plan.activationBytes;
      // Today's plan (the step alone) would allow a limit the set-up exceeds ...
      expect(step).toBeLessThan(setupMeasured);
      // ... the plan's set-up term bounds the measured peak, without being loose by more than 2×.
      expect(plan.setupBytes).toBeGreaterThanOrEqual(setupMeasured);
      expect(plan.setupBytes).toBeLessThan(2 * setupMeasured);
      expect(plan.totalBytes).toBe(plan.setupBytes);
      // A fake limit between the step's peak and the set-up's: no batch size fits.
      const limit = Math.ceil((step + setupMeasured) / 2);
      expect(largestBatchWithin({ ...plan, setupBytes: 0, totalBytes: step }, batchSize, limit)).toBeGreaterThanOrEqual(batchSize);
      expect(largestBatchWithin(plan, batchSize, limit)).toBe(0);
      expect(largestBatchWithin(plan, batchSize, plan.setupBytes)).toBeGreaterThanOrEqual(batchSize);
    } finally {
      run.dispose?.();
      run.model.dispose();
      data.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  }, 30_000);

  it('planning before the set-up changes nothing: the run trains to the same weights bit for bit', async () => {
    const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
    const start = tf.memory().numTensors;
    const data = tf.tidy(() => tf.add(tf.mul(createRng(4).normal([64, 2]), [2, 0.5]), [1, -1]) as tf.Tensor2D);
    const recipe = parseRecipe({ method: 'realnvp', options: { blocks: 2 }, model: { hidden: [4] }, steps: 3, batchSize: 8 }, registry);
    const trained = async (plan: boolean) => {
      const run = createTrainingRun(recipe, data, registry);
      try {
        // The probes run the loss on copies of one row, where an ActNorm not yet set up initialises itself.
        if (plan) await planMemory(run, data, { batchSize: 8 });
        await train(run, data, { steps: 3, batchSize: 8, seed: 0 });
        return run.model.maps.flow!.variables.map((v) => Array.from(v.dataSync()));
      } finally {
        run.dispose?.();
        run.model.dispose();
      }
    };
    const planned = await trained(true);
    expect(planned).toEqual(await trained(false));
    data.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
