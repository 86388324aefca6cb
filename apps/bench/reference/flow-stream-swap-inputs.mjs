// Writes pfm's own random streams of one parity-suite flow-matching or OT-CFM run (recipe
// `parityRecipe(method)`, 2,000 steps by default), so that `flow-stream-swap.py` can train the
// twin's velocity field in PyTorch from exactly these numbers: the flow-field counterpart of
// `energy-stream-swap-inputs.mjs`. Same streams and a different result point at computation; the
// result following the streams points at randomness.
//   - init-SEED.json: the field's initial weights, createRng(seed).fold(0).fold(0) (the objective's
//     stream, then the field's), each as { shape, values } in pfm's layout (kernels [in, out], the
//     input [x, t]);
//   - noise-SEED.f32: float32 [steps, batch, d], step s's x0, createRng(seed).fold(1).fold(s).fold(1)
//     (the step's stream, then its player's) .fold(0);
//   - t-SEED.f32: float32 [steps, batch], step s's times, the player's stream .fold(1), U[0, 1);
//   - idx-SEED.i32: int32 [steps, batch], step s's minibatch rows (epoch e's order is
//     createRng(seed).fold(2).fold(e).permutation(N), as core's BatchIndexer).
// It also prints pfm's first three losses on these streams; the twin prints its own, which must agree
// (for OT-CFM the coupling re-pairs each batch, the same assignment on both sides).
//
// Usage (from apps/bench, after a parity run wrote its data):
//   node reference/flow-stream-swap-inputs.mjs METHOD SEED TRAIN.csv OUT_DIR [STEPS]
// with METHOD flow-matching or ot-flow-matching.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { createRng, networkSpec, parseCsv, trainRecipe } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';
import { minibatchRows } from './stream-rows.mjs';

const [method, seedArg, trainPath, outDir, stepsArg] = process.argv.slice(2);
const usage = 'usage: node flow-stream-swap-inputs.mjs flow-matching|ot-flow-matching SEED TRAIN.csv OUT_DIR [STEPS]';
if (!['flow-matching', 'ot-flow-matching'].includes(method) || !seedArg || !trainPath || !outDir) {
  console.error(usage);
  process.exit(2);
}
const seed = Number(seedArg);
const steps = Number(stepsArg ?? 2000);
if (!Number.isInteger(seed) || !Number.isInteger(steps) || steps < 1) {
  console.error(`flow-stream-swap-inputs: SEED must be an integer and STEPS a positive integer, got ${seedArg} and ${stepsArg}\n${usage}`);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const batchSize = 512;
const model = { hidden: [64, 64, 64], activation: 'selu' };
await cpu().init();
const table = parseCsv(readFileSync(trainPath, 'utf8'), { source: trainPath, header: false });
const { rows: n, cols: dim } = table;
const registry = createDefaultRegistry();

// The field as the objective builds it (buildVelocityField: the network's spec, the objective's stream fold(0)).
const spec = networkSpec(model, 'velocity', { inputDim: dim, outputDim: dim });
const field = registry.create('map', { id: spec.type, options: spec.options }, { rng: createRng(seed).fold(0).fold(0) }, { id: 'model.type', options: 'model' });
writeFileSync(join(outDir, `init-${seed}.json`), JSON.stringify(field.variables.map((v) => ({ shape: v.shape, values: Array.from(v.dataSync()) }))));
field.dispose();

const root = createRng(seed);
const noise = new Float32Array(steps * batchSize * dim);
const times = new Float32Array(steps * batchSize);
for (let s = 0; s < steps; s++) {
  const player = root.fold(1).fold(s).fold(1);
  noise.set(player.fold(0).normalArray(batchSize * dim), s * batchSize * dim);
  times.set(player.fold(1).uniformArray(batchSize, 0, 1), s * batchSize);
}
writeFileSync(join(outDir, `noise-${seed}.f32`), Buffer.from(noise.buffer));
writeFileSync(join(outDir, `t-${seed}.f32`), Buffer.from(times.buffer));
writeFileSync(join(outDir, `idx-${seed}.i32`), Buffer.from(minibatchRows(root, steps, batchSize, n).buffer));

const data = tf.tensor2d(table.values, [n, dim]);
const recipe = { method, options: { sigma: 0 }, model, optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 1e-5 }, steps: 3, batchSize, seed };
const trained = await trainRecipe(recipe, data, { registry });
console.log(JSON.stringify({ method, seed, steps, pfmFirstLosses: trained.result.lossHistory }));
trained.model.dispose();
data.dispose();
