// Writes pfm's own random streams of one parity-suite run, so that `stream-swap.py` can train the
// PyTorch twin's network on exactly these numbers (or on a mix of pfm's and torch's). Same streams
// and a different result point at *computation*; the result following the streams points at
// *randomness*. Methods: energy (the one-step generator), flow-matching and ot-flow-matching.
//
// From the parity run's recipe (twin/METHOD-DATA.recipe.json: method, seed, network, optimiser,
// batch), into OUT_DIR:
//   - recipe-SEED.json: that recipe with --steps, read by stream-swap.py (one recipe for both sides);
//   - init-SEED.json: the trained network's initial weights as pfm's run builds them
//     (core's createTrainingRun: the objective's stream createRng(seed).fold(0)), each as
//     { shape, values } in pfm's layout (kernels [in, out]);
//   - noise-SEED.f32: float32 [steps, batch, d], step s's noise from the step's player stream
//     createRng(seed).fold(1).fold(s).fold(1): the generator's draw (energy), or x0 from its .fold(0)
//     (flow fields);
//   - t-SEED.f32 (flow fields): float32 [steps, batch], step s's times, the player stream's .fold(1), U[0, 1);
//   - idx-SEED.i32: int32 [steps, batch], step s's minibatch rows, from core's BatchIndexer on the
//     run's stream createRng(seed).fold(2), as the trainer draws them;
//   - with --other-seeds K,…: init-pfm-K.json, the initial weights of seed K (stream-swap.py --init-file);
//   - with --pfm-samples: pfm-samples-SEED.csv, the samples of pfm's fully trained run, drawn as the
//     parity suite draws them (createRng(seed).fold(103)), for stream-swap.py's --pfm-samples, and
//     final-SEED.json, that run's trained weights (layout of init-SEED.json), for its --pfm-final.
// It runs on the parity suite's backend (wasm, one thread) and prints pfm's first three losses on
// these streams; stream-swap.py prints its own, which must agree (up to float32 rounding).
//
// Usage (from apps/bench, after a parity run wrote its data and recipes):
//   node reference/stream-swap-inputs.mjs --recipe RECIPE.json --train TRAIN.csv --out OUT_DIR
//        [--steps N] [--other-seeds K,…] [--pfm-samples]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { wasm } from '@pfm/backend-wasm';
import { BatchIndexer, createRng, createTrainingRun, parseCsv, parseRecipe, trainRecipe, useBackend } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';

const usage = 'usage: node stream-swap-inputs.mjs --recipe RECIPE.json --train TRAIN.csv --out OUT_DIR [--steps N] [--other-seeds K,…] [--pfm-samples]';
const METHODS = ['energy', 'flow-matching', 'ot-flow-matching'];
const SAMPLES = 5000;

function fail(message) {
  console.error(`stream-swap-inputs: ${message}\n${usage}`);
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({ options: { recipe: { type: 'string' }, train: { type: 'string' }, out: { type: 'string' }, steps: { type: 'string' }, 'other-seeds': { type: 'string' }, 'pfm-samples': { type: 'boolean' } } });
  } catch (error) {
    return fail(error.message);
  }
})();
if (!args.recipe || !args.train || !args.out) fail('--recipe, --train and --out are required');
const given = JSON.parse(readFileSync(args.recipe, 'utf8'));
if (!METHODS.includes(given.method)) fail(`${args.recipe}: method ${JSON.stringify(given.method)} has no stream swap (known: ${METHODS.join(', ')})`);
const steps = args.steps === undefined ? given.steps : Number(args.steps);
if (!Number.isInteger(steps) || steps < 1) fail(`--steps must be a positive integer, got ${args.steps}`);
const otherSeeds = args['other-seeds'] ? args['other-seeds'].split(',').map(Number) : [];
if (!otherSeeds.every(Number.isInteger)) fail(`--other-seeds must be a comma list of integers, got ${args['other-seeds']}`);

// The parity suite's backend (wasm, one thread): the first losses and samples are the suite's own.
await useBackend(wasm({ threads: 1 }));
const registry = createDefaultRegistry();
const table = parseCsv(readFileSync(args.train, 'utf8'), { source: args.train, header: false });
const { rows: n, cols: dim } = table;
const data = tf.tensor2d(table.values, [n, dim]);
const recipe = parseRecipe({ ...given, steps }, registry, args.recipe, { dim });
const { seed, batchSize, method } = recipe;
mkdirSync(args.out, { recursive: true });

/** The trained player's initial weights of the run with seed `s`, as pfm's run builds them. */
function initialWeights(s) {
  const run = createTrainingRun({ ...recipe, seed: s }, data, registry);
  try {
    if (run.players.length !== 1) throw new Error(`${method}: expected one trained player, found ${run.players.length}`);
    return run.players[0].variables.map((v) => ({ shape: v.shape, values: Array.from(v.dataSync()) }));
  } finally {
    run.dispose?.();
    run.model.dispose();
  }
}

/** int32 [steps · batchSize]: step s's minibatch rows at s·batchSize …, drawn by core's BatchIndexer as the trainer draws them. */
function minibatchRows(root) {
  const batches = new BatchIndexer(n, batchSize, root.fold(2));
  const idx = new Int32Array(steps * batchSize);
  for (let s = 0; s < steps; s++) idx.set(batches.indices(s), s * batchSize);
  return idx;
}

const write = (name, bytes) => writeFileSync(join(args.out, name), bytes);
write(`recipe-${seed}.json`, JSON.stringify({ ...given, steps }));
write(`init-${seed}.json`, JSON.stringify(initialWeights(seed)));
for (const other of otherSeeds) write(`init-pfm-${other}.json`, JSON.stringify(initialWeights(other)));

const root = createRng(seed);
const flowField = method !== 'energy';
const noise = new Float32Array(steps * batchSize * dim);
const times = new Float32Array(flowField ? steps * batchSize : 0);
for (let s = 0; s < steps; s++) {
  const player = root.fold(1).fold(s).fold(1);
  noise.set((flowField ? player.fold(0) : player).normalArray(batchSize * dim), s * batchSize * dim);
  if (flowField) times.set(player.fold(1).uniformArray(batchSize, 0, 1), s * batchSize);
}
write(`noise-${seed}.f32`, Buffer.from(noise.buffer));
if (flowField) write(`t-${seed}.f32`, Buffer.from(times.buffer));
write(`idx-${seed}.i32`, Buffer.from(minibatchRows(root).buffer));

const first = await trainRecipe({ ...given, steps: Math.min(3, steps) }, data, { registry });
first.model.dispose();
const report = { method, seed, steps, pfmFirstLosses: first.result.lossHistory };
if (args['pfm-samples']) {
  const trained = await trainRecipe({ ...given, steps }, data, { registry });
  const maps = Object.values(trained.model.maps);
  if (maps.length !== 1) throw new Error(`${method}: expected one network in the trained model, found ${maps.length}`);
  write(`final-${seed}.json`, JSON.stringify(maps[0].variables.map((v) => ({ shape: v.shape, values: Array.from(v.dataSync()) }))));
  const x = trained.model.sample(SAMPLES, createRng(seed).fold(103));
  const values = x.dataSync();
  x.dispose();
  const lines = Array.from({ length: SAMPLES }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim), (v) => v.toPrecision(7)).join(','));
  write(`pfm-samples-${seed}.csv`, `${lines.join('\n')}\n`);
  trained.model.dispose();
  report.pfmSamples = SAMPLES;
}
console.log(JSON.stringify(report));
data.dispose();
