// Writes pfm's own random streams of one parity-suite energy run (recipe `parityRecipe('energy')`,
// 2,000 steps by default), so that `energy-stream-swap.py` can train the same generator in PyTorch
// from exactly these numbers. It separates a difference of *computation* (same streams, different
// results) from a difference of *randomness* (pfm's streams give pfm's result in torch too).
//   - init-SEED.json: the generator's initial weights, createRng(seed).fold(0).fold(1) (the
//     objective's stream, then the generator's), each as { shape, values } in pfm's layout
//     (kernels [in, out]);
//   - noise-SEED.f32: float32 [steps, batch, d], step s's generator noise,
//     createRng(seed).fold(1).fold(s).fold(1) (the step's stream, then its first player's);
//   - idx-SEED.i32: int32 [steps, batch], step s's minibatch rows (epoch e's order is
//     createRng(seed).fold(2).fold(e).permutation(N), as core's BatchIndexer).
// It also prints pfm's first three losses on these streams; the twin prints its own, which must agree.
// With OTHER_SEEDS (a comma list) it also writes init-pfm-K.json, pfm's initial weights of seed K,
// for the twin's --init-file (other initialisations on this run's noise and rows).
//
// Usage (from apps/bench, after a parity run wrote its data):
//   node reference/energy-stream-swap-inputs.mjs SEED TRAIN.csv OUT_DIR [STEPS] [OTHER_SEEDS]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { createRng, mlp, parseCsv, trainRecipe } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';
import { minibatchRows } from './stream-rows.mjs';

const [seedArg, trainPath, outDir, stepsArg, otherSeedsArg] = process.argv.slice(2);
if (!seedArg || !trainPath || !outDir) {
  console.error('usage: node energy-stream-swap-inputs.mjs SEED TRAIN.csv OUT_DIR [STEPS] [OTHER_SEEDS]');
  process.exit(2);
}
const seed = Number(seedArg);
const steps = Number(stepsArg ?? 2000);
if (!Number.isInteger(seed) || !Number.isInteger(steps) || steps < 1) {
  console.error(`energy-stream-swap-inputs: SEED must be an integer and STEPS a positive integer, got ${seedArg} and ${stepsArg}`);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const batchSize = 512;
const hidden = [64, 64, 64];
await cpu().init();
const table = parseCsv(readFileSync(trainPath, 'utf8'), { source: trainPath, header: false });
const { rows: n, cols: dim } = table;

/** The generator's initial weights of `s`: the objective's stream createRng(s).fold(0), then the generator's fold(1). */
function initialWeights(s) {
  const net = mlp({ inputDim: dim, outputDim: dim, hidden, activation: 'selu' }, createRng(s).fold(0).fold(1));
  const weights = net.variables.map((v) => ({ shape: v.shape, values: Array.from(v.dataSync()) }));
  net.dispose();
  return weights;
}
const init = initialWeights(seed);
for (const other of otherSeedsArg ? otherSeedsArg.split(',').map(Number) : []) {
  writeFileSync(join(outDir, `init-pfm-${other}.json`), JSON.stringify(initialWeights(other)));
}

const root = createRng(seed);
const noise = new Float32Array(steps * batchSize * dim);
for (let s = 0; s < steps; s++) {
  noise.set(root.fold(1).fold(s).fold(1).normalArray(batchSize * dim), s * batchSize * dim);
}
writeFileSync(join(outDir, `noise-${seed}.f32`), Buffer.from(noise.buffer));
writeFileSync(join(outDir, `idx-${seed}.i32`), Buffer.from(minibatchRows(root, steps, batchSize, n).buffer));
writeFileSync(join(outDir, `init-${seed}.json`), JSON.stringify(init));

const data = tf.tensor2d(table.values, [n, dim]);
const recipe = { method: 'energy', options: {}, model: { hidden, activation: 'selu' }, optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 1e-5 }, steps: 3, batchSize, seed };
const trained = await trainRecipe(recipe, data, { registry: createDefaultRegistry() });
console.log(JSON.stringify({ seed, steps, pfmFirstLosses: trained.result.lossHistory }));
trained.model.dispose();
data.dispose();
