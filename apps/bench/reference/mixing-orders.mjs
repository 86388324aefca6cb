// Writes the column orders of the mixing layers that a parity run's realnvp / nsf draw, in the
// format of `pnpm bench --suite parity --mixing-orders FILE`: pfm's (read from the layer specs of
// the recipe's flow; `lu` layers hold the permutation P of W = P L U) or the PyTorch twin's
// (NumPy's default_rng([seed, 1, block]).permutation(d), as reference/twin_flows.py draws them).
// Each order is data → noise, orders[b] after block b, x[:, j] = z[:, order[j]]. It also prints,
// per seed, how many layers keep the two coupling halves {0 … ⌊d/2⌋ − 1} and the rest together.
//
// Usage (from apps/bench, after building): node reference/mixing-orders.mjs pfm|twin METHOD DIMS SEEDS OUT.json
//   e.g. node reference/mixing-orders.mjs twin nsf 4 0,1,2 twin-orders.json
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { corePlugin, createRegistry, createRng, createTrainingRun, parseRecipe, useBackend } from '@pfm/core';
import { likelihoodPlugin, permutationOrder } from '@pfm/likelihood';

const [side, method, dimsArg, seedsArg, out] = process.argv.slice(2);
if (!['pfm', 'twin'].includes(side) || !['realnvp', 'nsf'].includes(method) || !dimsArg || !seedsArg || !out) {
  console.error('usage: node reference/mixing-orders.mjs pfm|twin realnvp|nsf DIMS SEEDS OUT.json (DIMS, SEEDS: comma-separated)');
  process.exit(2);
}
const dims = dimsArg.split(',').map(Number);
const seeds = seedsArg.split(',').map(Number);

async function pfmOrders(dim, seed) {
  await useBackend(cpu());
  const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
  const data = createRng(0).normal([16, dim]);
  // The parity recipe's options are pfm's defaults; the draw depends only on the seed and d.
  const run = createTrainingRun(parseRecipe({ method, options: {}, model: {}, seed }, registry), data, registry);
  try {
    const layers = run.model.maps.flow.toSpec().options.layers.slice().reverse();
    return layers
      .filter((l) => l.type === 'permutation' || l.type === 'lu-linear')
      .map((l) => Array.from(l.type === 'permutation' ? permutationOrder(l.options) : l.options.order ?? permutationOrder({ dim, kind: 'random', seed: l.options.seed })));
  } finally {
    run.model.dispose();
    data.dispose();
    tf.disposeVariables();
  }
}

function twinOrders(dim, seed) {
  const blocks = method === 'realnvp' ? 8 : 4;
  const code = `import json, numpy as np; print(json.dumps([np.random.default_rng([${seed}, 1, b]).permutation(${dim}).tolist() for b in range(${blocks - 1})]))`;
  const python = process.env.PFM_PYTHON ?? 'python3';
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${python}: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout);
}

const file = { [method]: {} };
for (const dim of dims) {
  file[method][dim] = {};
  for (const seed of seeds) {
    const orders = side === 'pfm' ? await pfmOrders(dim, seed) : twinOrders(dim, seed);
    file[method][dim][seed] = orders;
    const half = Math.floor(dim / 2);
    const kept = orders.filter((o) => o.slice(0, half).every((i) => i < half) || o.slice(0, half).every((i) => i >= half)).length;
    console.log(`${side} ${method} d=${dim} seed ${seed}: ${JSON.stringify(orders)}; ${kept} of ${orders.length} keep the halves together`);
  }
}
writeFileSync(out, `${JSON.stringify(file)}\n`);
