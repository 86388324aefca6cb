#!/usr/bin/env node
// Trains I-CFM (flow-matching, independent coupling) briefly on two moons with the published 2-D
// setup of Tong et al. (MLP 3×64 SELU, AdamW lr 1e-3, weight decay 1e-5, batch 512) and prints the
// exact W2 between model samples and held-out moons at 100 Euler steps and at 1 Euler step.
//
//   node scripts/quick-w2.mjs [--steps 2000] [--n 2000] [--backend wasm|cpu] [--sigma 0.1] [--seed 0] [--distill 0]
//
// With --distill k > 0 it also distils the trained flow (100 Euler steps) into a one-step map
// (objective `distill`, direct mode, same network and optimizer, k steps) and prints its W2.
//
// Runs on the built dist of @pfm/core, @pfm/ipm and @pfm/flows (build them first with `npx tsup`).
// Moons as in torchdyn/torchcfm: outer arc (cos θ, sin θ), inner arc (1 − cos θ, ½ − sin θ),
// Gaussian noise 0.2, then x ↦ 3x − 1; θ uniform on [0, π].
import * as tf from '@tensorflow/tfjs-core';
import { corePlugin, createRegistry, createRng, modelToContent, trainRecipe } from '@pfm/core';
import { exactAssignment } from '@pfm/ipm';
import { flowsPlugin } from '../dist/index.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, token, i, all) => {
    if (token.startsWith('--')) pairs.push([token.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const steps = Number(args.steps ?? 2000);
const n = Number(args.n ?? 2000);
const backend = args.backend ?? 'wasm';
const sigma = Number(args.sigma ?? 0.1);
const seed = Number(args.seed ?? 0);
const distillSteps = Number(args.distill ?? 0);

function moons(count, rng) {
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const theta = Math.PI * rng.next();
    const outer = i % 2 === 0;
    const x = outer ? Math.cos(theta) : 1 - Math.cos(theta);
    const y = outer ? Math.sin(theta) : 0.5 - Math.sin(theta);
    const [e1, e2] = rng.normalArray(2);
    out[2 * i] = 3 * (x + 0.2 * e1) - 1;
    out[2 * i + 1] = 3 * (y + 0.2 * e2) - 1;
  }
  return tf.tensor2d(out, [count, 2]);
}

/** Exact W2 between equal-size clouds: √(mean ‖x_i − y_σ(i)‖²) with σ the optimal assignment. */
function w2(x, y) {
  const sigmaIdx = exactAssignment(x, y);
  return tf.tidy(() => {
    const paired = tf.gather(y, tf.tensor1d(sigmaIdx, 'int32'));
    return Math.sqrt(tf.mean(tf.sum(tf.square(tf.sub(x, paired)), 1)).dataSync()[0]);
  });
}

const provider = backend === 'cpu' ? (await import('@pfm/backend-cpu')).cpu() : (await import('@pfm/backend-wasm')).wasm();
await provider.init();

const registry = createRegistry({ plugins: [corePlugin, flowsPlugin] });
const train = moons(20000, createRng(seed).fold(1));
const test = moons(n, createRng(seed).fold(2));
const recipe = {
  method: 'flow-matching',
  options: { sigma },
  model: { hidden: [64, 64, 64], activation: 'selu' },
  optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 1e-5 },
  steps,
  batchSize: 512,
  seed,
};
const t0 = performance.now();
const { model, result } = await trainRecipe(recipe, train, { registry });
const trainSeconds = (performance.now() - t0) / 1000;
console.log(`backend ${tf.getBackend()}, I-CFM (sigma ${sigma}) on moons: ${steps} steps in ${trainSeconds.toFixed(1)} s, final loss ${result.finalLoss.toFixed(4)}`);

const base = createRng(seed).fold(3);
for (const sampling of [{ integrator: 'euler', steps: 100 }, { integrator: 'euler', steps: 1 }]) {
  const s0 = performance.now();
  const x = model.sample(n, base, sampling);
  const seconds = (performance.now() - s0) / 1000;
  console.log(`  W2 at ${sampling.steps} Euler step(s) (NFE ${model.nfeFor(sampling)}): ${w2(x, test).toFixed(3)}  [sampling ${seconds.toFixed(2)} s, n = ${n}]`);
  x.dispose();
}
if (distillSteps > 0) {
  const d0 = performance.now();
  const { model: student } = await trainRecipe(
    {
      ...recipe,
      method: 'distill',
      options: { teacher: modelToContent(model, registry), pairs: 10000 },
      steps: distillSteps,
    },
    train,
    { registry },
  );
  const x = student.sample(n, base);
  console.log(`  distilled one-step map (${distillSteps} steps, ${((performance.now() - d0) / 1000).toFixed(1)} s incl. 10000 teacher pairs): W2 (NFE ${student.nfe}) = ${w2(x, test).toFixed(3)}`);
  x.dispose();
  student.dispose();
}
const noise = createRng(seed).fold(4).normal([n, 2]);
console.log(`  reference: W2(N(0, I), moons) = ${w2(noise, test).toFixed(3)}; W2(two moon samples) = ${(() => {
  const other = moons(n, createRng(seed).fold(5));
  const v = w2(other, test);
  other.dispose();
  return v.toFixed(3);
})()}`);
tf.dispose([noise, train, test]);
model.dispose();
