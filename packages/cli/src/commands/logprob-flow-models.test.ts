import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createRng, gaussian, trainRecipe } from '@pfm/core';
import { loadModel, readDataFile, saveModel, writeDataFile } from '@pfm/core/node';
import { describe, expect, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const registry = createRegistry({ plugins: cliPlugins });
// Correlation-free Gaussian data with unequal scales: its true mean log-density is known.
const LAW = { mean: [1, -0.5], std: [0.8, 0.4] };

describe('pfm logprob on flow models (instantaneous change of variables)', () => {
  it('a flow-matching model and a RealNVP trained on the same Gaussian data agree with each other and with the true log-likelihood', async () => {
    const before = tf.memory().numTensors;
    const law = gaussian(LAW);
    const data = law.sample(2048, createRng(1));
    const test = law.sample(500, createRng(2));
    const dir = scratchDir();
    const testPath = join(dir, 'test.csv');
    await writeDataFile(testPath, { rows: 500, cols: 2, values: test.dataSync() as Float32Array });
    const common = { model: { hidden: [32, 32] }, optimizer: { name: 'adam' as const, lr: 3e-3 }, batchSize: 256, seed: 0 };
    const flow = await trainRecipe({ method: 'flow-matching', ...common, steps: 600 }, data, { registry });
    const realnvp = await trainRecipe({ method: 'realnvp', options: { blocks: 2 }, ...common, steps: 600 }, data, { registry });
    const truth = tf.tidy(() => tf.mean(law.logProb!(test)).dataSync()[0]!);
    const means: Record<string, number> = {};
    for (const [name, trained] of [['flow-matching', flow], ['realnvp', realnvp]] as const) {
      const modelPath = join(dir, `${name}.json`);
      await saveModel(modelPath, trained.model, registry);
      trained.model.dispose();
      // Through the command line, as a user runs it.
      const out = join(dir, `${name}-logp.csv`);
      const r = await runPfm(['logprob', '--model', modelPath, '--data', testPath, '--backend', 'cpu', '--threads', '1', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^wrote log p\\(x\\) of the ${name} model at 500 points`));
      const written = await readDataFile(out);
      means[name] = written.values.reduce((s, v) => s + v, 0) / written.rows;
    }
    // The Gaussian's entropy gives −2.28 per point; 600 steps bring both models within 0.1 of it
    // and the two estimates of the same density within 0.1 of each
    // other. A wrong sign of the divergence integral moves the flow's value by about 2 (tr ∂v ≈ log of
    // the scale change), far outside.
    expect(Math.abs(means['flow-matching']! - truth), JSON.stringify({ means, truth })).toBeLessThan(0.1);
    expect(Math.abs(means.realnvp! - truth), JSON.stringify({ means, truth })).toBeLessThan(0.1);
    expect(Math.abs(means['flow-matching']! - means.realnvp!)).toBeLessThan(0.1);
    tf.dispose([data, test]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes the values of the loaded model in this process (dopri5, exact divergence)', async () => {
    const before = tf.memory().numTensors;
    const dir = scratchDir();
    const data = gaussian(LAW).sample(256, createRng(3));
    const trained = await trainRecipe({ method: 'rectified-flow', model: { hidden: [8] }, steps: 5, batchSize: 64 }, data, { registry });
    const modelPath = join(dir, 'rf.json');
    await saveModel(modelPath, trained.model, registry);
    trained.model.dispose();
    const points = join(dir, 'points.csv');
    await writeDataFile(points, { rows: 256, cols: 2, values: data.dataSync() as Float32Array });
    const out = join(dir, 'rf-logp.csv');
    const r = await runPfm(['logprob', '--model', modelPath, '--data', points, '--backend', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const model = await loadModel(modelPath, registry);
    const want = tf.tidy(() => model.logProb!(data));
    const written = await readDataFile(out);
    const values = want.dataSync();
    for (let i = 0; i < 256; i++) expect(written.values[i]).toBeCloseTo(values[i]!, 5);
    tf.dispose([want, data]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
