// `node dist/coupling-widths.js`: held-out NLL of one coupling-flow recipe (realnvp or nsf) on a
// target whose NLL floor is known, to judge the default conditioner widths and mixing layers in
// a given dimension. Prints one JSON line: mean, median and worst −log p of the held-out points
// and the floor.
//   banana-pairs: d/2 independent pairs (1.5u, 0.5v + 0.6(u² − 1)), u, v ~ N(0, 1) — the shear
//                 keeps volume, so the entropy is (d/2)(log 2πe + log 0.75) exactly;
//   mixture6:     six Gaussians of std 0.3 around means 2·N(0, I_d) (drawn from seed 123), equal
//                 weights; floor (d/2) log(2πe·0.09) + log 6 when the components do not overlap.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { corePlugin, createRegistry, createRng, trainRecipe, useBackend, type RecipeInput, type Rng } from '@pfm/core';
import { wasm } from '@pfm/backend-wasm';
import { likelihoodPlugin } from '@pfm/likelihood';

const USAGE = `node dist/coupling-widths.js --dim D [--target banana-pairs|mixture6] [--method realnvp|nsf]
  [--hidden 32,32] [--permutation reverse|random|lu|none] [--steps 2000] [--seed 0]`;

function bananaPairs(n: number, dim: number, rng: Rng): Float32Array {
  const z = rng.normalArray(n * dim);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p + 1 < dim; p += 2) {
      const u = z[i * dim + p]!;
      out[i * dim + p] = 1.5 * u;
      out[i * dim + p + 1] = 0.5 * z[i * dim + p + 1]! + 0.6 * (u * u - 1);
    }
  }
  return out;
}

function mixture6(n: number, dim: number, rng: Rng): Float32Array {
  const means = createRng(123).normalArray(6 * dim).map((v) => 2 * v);
  const z = rng.fold(1).normalArray(n * dim);
  const which = rng.fold(0);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const k = which.int(6);
    for (let j = 0; j < dim; j++) out[i * dim + j] = means[k * dim + j]! + 0.3 * z[i * dim + j]!;
  }
  return out;
}

try {
  const { values } = parseArgs({
    options: {
      dim: { type: 'string' },
      target: { type: 'string', default: 'banana-pairs' },
      method: { type: 'string', default: 'realnvp' },
      hidden: { type: 'string' },
      permutation: { type: 'string' },
      steps: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '0' },
    },
  });
  const dim = Number(values.dim);
  const steps = Number(values.steps);
  const seed = Number(values.seed);
  if (!Number.isInteger(dim) || dim < 2 || (values.target === 'banana-pairs' && dim % 2 !== 0)) {
    throw new Error(`--dim must be an integer ≥ 2 (even for banana-pairs), got ${JSON.stringify(values.dim)}\n${USAGE}`);
  }
  if (values.target !== 'banana-pairs' && values.target !== 'mixture6') throw new Error(`--target must be banana-pairs or mixture6, got "${values.target}"\n${USAGE}`);
  if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(seed) || seed < 0) throw new Error(`--steps and --seed must be integers (≥ 1, ≥ 0)\n${USAGE}`);
  const hidden = values.hidden?.split(',').map(Number);
  if (hidden?.some((h) => !Number.isInteger(h) || h < 1)) throw new Error(`--hidden must be widths like 64,64, got "${values.hidden}"`);

  await useBackend(wasm({ threads: 1 }));
  const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
  const draw = values.target === 'mixture6' ? mixture6 : bananaPairs;
  const floor = values.target === 'mixture6' ? (dim / 2) * Math.log(2 * Math.PI * Math.E * 0.09) + Math.log(6) : (dim / 2) * (Math.log(2 * Math.PI * Math.E) + Math.log(0.75));
  const train = tf.tensor2d(draw(10_000, dim, createRng(seed).fold(1)), [10_000, dim]);
  const test = tf.tensor2d(draw(5_000, dim, createRng(seed).fold(2)), [5_000, dim]);
  const recipe: RecipeInput = {
    method: values.method,
    options: values.permutation ? { permutation: values.permutation } : {},
    model: hidden ? { hidden } : {},
    optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 1e-5 },
    steps,
    batchSize: 512,
    seed,
  };
  const started = performance.now();
  const { model } = await trainRecipe(recipe, train, { registry });
  const logP = tf.tidy(() => model.logProb!(test).dataSync());
  const nlls = Array.from(logP, (v) => -v).sort((a, b) => a - b);
  const report = {
    ...recipe,
    target: values.target,
    dim,
    nll: nlls.reduce((s, v) => s + v, 0) / nlls.length,
    median: nlls[nlls.length >> 1],
    worst: nlls.slice(-5),
    floor,
    seconds: (performance.now() - started) / 1000,
  };
  model.dispose();
  tf.dispose([train, test]);
  process.stdout.write(`${JSON.stringify(report)}\n`);
} catch (error) {
  process.stderr.write(`coupling-widths: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
