import * as tf from '@tensorflow/tfjs-core';
import { wasm } from '@pfm/backend-wasm';
import { useBackend, parseRecipe, createTrainingRun, train, withOptimizerEntry } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';
import { readMnist } from '@pfm/datasets/node';
await useBackend(wasm({ threads: 1 }));
const registry = createDefaultRegistry();
const m = readMnist({ split: 'train' });
const x = tf.tensor2d(m.values.subarray(0, 2000 * 784), [2000, 784]);
const rows = tf.tensor1d(m.labels.subarray(0, 2000), 'int32');
const configs = JSON.parse(process.argv[2]);
for (const c of configs) {
  const recipe = { method: 'flow-matching', options: { sigma: 0, conditionDropout: 0.1, sampler: { integrator: 'euler', steps: 20 } }, model: c.model, optimizer: { name: 'adam', lr: 1e-3 }, steps: c.steps, batchSize: c.batch, seed: 0 };
  const parsed = parseRecipe(recipe, registry);
  const condition = { spec: { kind: 'class', classes: 10 }, rows };
  const run = createTrainingRun(parsed, x, registry, { eventShape: [28, 28, 1], condition });
  const t0 = performance.now();
  await train(run, x, { steps: parsed.steps, batchSize: parsed.batchSize, seed: 0, optimizer: withOptimizerEntry(parsed.optimizer, registry), condition: rows });
  const dt = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const s = run.model.sample(100, (await import('@pfm/core')).createRng(1), { condition: 3, guidance: 2 }); s.dataSync(); s.dispose();
  console.log(JSON.stringify(c.model), 'batch', c.batch, 'steps/s', (c.steps / dt).toFixed(2), 'sample100x20x2 s', ((performance.now() - t1) / 1000).toFixed(2));
  run.model.dispose(); run.dispose?.();
}
