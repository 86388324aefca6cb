// Writes the inputs of the NSF fixed-batch check: a small neural spline flow built by pfm's `nsf`
// objective (LU mixing, ActNorm, rational-quadratic couplings) with every parameter set to seeded
// N(0, σ²) values (σ 0.3 for ActNorm, 0.4 otherwise, so every spline is far from the identity and
// some points fall in the tails), a batch x, noise rows z with the chain's samples ψ(z), and the
// matrix of each LU layer. `nsf-fixed-batch-twin.py` evaluates the same flow in PyTorch
// (apps/bench/reference/twin_flows.py), writes the fixture that
// `packages/likelihood/src/objectives/nsf-twin.test.ts` checks pfm against, and prints how far its
// ψ(z) is from pfm's (the sampling direction, not in the fixture). The test repeats this construction (same recipe, batch and seeds), so the script and the test build one flow.
//
// Usage (from apps/bench, after building the packages):
//   node reference/nsf-fixed-batch-inputs.mjs inputs.json
//   python3 reference/nsf-fixed-batch-twin.py inputs.json ../../packages/likelihood/src/test-support/nsf-twin-fixed-batch.json
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { cpu } from '@pfm/backend-cpu';
import { corePlugin, createRegistry, createRng, createTrainingRun, parseRecipe, useBackend } from '@pfm/core';
import { likelihoodPlugin } from '@pfm/likelihood';

const out = process.argv[2];
if (!out) {
  console.error('usage: node nsf-fixed-batch-inputs.mjs INPUTS.json');
  process.exit(2);
}
await useBackend(cpu());
const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
const dim = 4;
const rows = 64;
const recipe = { method: 'nsf', options: { blocks: 3, bins: 5, tailBound: 3 }, model: { hidden: [8, 8] }, seed: 0 };
// The batch: 2·N(0, I) rows, so some coordinates lie beyond the tail bound B = 3.
const x = tf.tidy(() => tf.mul(createRng(11).normal([rows, dim]), 2));
const run = createTrainingRun(parseRecipe(recipe, registry), x, registry);
const chain = run.model.maps.flow;
let k = 0;
const layers = chain.layers.map((layer) => {
  const type = layer.toSpec().type;
  for (const v of layer.variables) v.assign(tf.tidy(() => tf.mul(createRng(5).fold(k++).normal(v.shape), type === 'act-norm' ? 0.3 : 0.4)));
  const entry = { type, mask: layer.options.mask ?? null, variables: layer.variables.map((v) => ({ name: v.name.replace(/^[a-z-]+\d+\//, ''), shape: v.shape, values: Array.from(v.dataSync()) })) };
  if (type === 'lu-linear') entry.matrix = Array.from(layer.forwardAndLogDet(tf.eye(dim))[0].dataSync());
  return entry;
});
// The sampling direction too: noise rows z (1.5·N(0, I)) pushed to data by the chain.
const z = tf.tidy(() => tf.mul(createRng(12).normal([rows, dim]), 1.5));
const [pfmForward] = chain.forwardAndLogDet(z);
writeFileSync(
  out,
  JSON.stringify({ recipe, dim, rows, x: Array.from(x.dataSync()), layers, pfmLogProb: Array.from(run.model.logProb(x).dataSync()), z: Array.from(z.dataSync()), pfmForward: Array.from(pfmForward.dataSync()) }),
);
console.log(`wrote ${out}: ${layers.map((l) => l.type).join(', ')}`);
