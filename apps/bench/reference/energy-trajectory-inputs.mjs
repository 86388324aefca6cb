// Writes the inputs of the energy generator's trajectory test (packages/ipm, fixture
// `src/test-support/energy-twin-trajectory.json`): the recipe, the data, and the numbers pfm's own
// seeded streams give the run — the generator's initial weights and the noise of every step. The
// twin `energy-trajectory-twin.py` then trains the same network from the same numbers in PyTorch
// and adds its per-step losses and final weights to the file. The batch is the whole data set
// (batchSize = rows), and the energy distance does not depend on the order of the data points, so
// the minibatch permutation plays no part.
//
// Usage: node apps/bench/reference/energy-trajectory-inputs.mjs FIXTURE.json
import { writeFileSync } from 'node:fs';
import { cpu } from '@pfm/backend-cpu';
import { createRng, mlp } from '@pfm/core';

const out = process.argv[2];
if (!out) {
  console.error('usage: node energy-trajectory-inputs.mjs FIXTURE.json');
  process.exit(2);
}
await cpu().init();
// Nine significant digits name a float32 exactly, so the file stays short and loses nothing.
const f32 = (values) => Array.from(values, (v) => Number(Math.fround(v).toPrecision(9)));
const dim = 4;
const rows = 64;
const recipe = {
  method: 'energy',
  options: {},
  model: { hidden: [16, 16], activation: 'selu' },
  optimizer: { name: 'adamw', lr: 0.01, weightDecay: 1e-5 },
  steps: 40,
  batchSize: rows,
  seed: 5,
};
// Data: two tight clusters in 4-D, so the generator has something to fit.
const z = createRng(123).normalArray(rows * dim);
const data = f32(Array.from(z, (v, i) => 0.3 * v + (Math.floor(i / dim) % 2 === 0 ? 1.5 : -1.5) * (i % dim === 0 ? 1 : 0.5)));
// The generator exactly as the objective builds it: createRng(seed).fold(0) is the objective's
// stream, .fold(1) the generator's.
const net = mlp({ inputDim: dim, outputDim: dim, hidden: recipe.model.hidden, activation: 'selu' }, createRng(recipe.seed).fold(0).fold(1));
const init = net.variables.map((v) => ({ name: v.name.replace(/^mlp\d+\//, ''), shape: v.shape, values: f32(v.dataSync()) }));
net.dispose();
// Step s's generator noise: createRng(seed).fold(1).fold(s) is the step's stream, .fold(1) its first player's.
const noise = Array.from({ length: recipe.steps }, (_, s) => f32(createRng(recipe.seed).fold(1).fold(s).fold(1).normalArray(rows * dim)));
writeFileSync(out, `${JSON.stringify({ recipe, dim, rows, data, init, noise }, null, 0)}\n`);
console.log(`wrote the inputs to ${out}; now run energy-trajectory-twin.py on it`);
