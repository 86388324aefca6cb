// Trains RealNVP (ActNorm + affine coupling with an MLP [32, 32] + swap permutation per block)
// on a toy data set and prints the test negative log-likelihood in nats per point.
// Run after `npx tsup` (this package) from packages/likelihood:
//   node scripts/quick-nll.mjs [--dataset moons] [--steps 1000] [--blocks 8] [--batch 1024]
//                              [--lr 1e-3] [--backend wasm|cpu] [--seed 0]
import * as tf from '@tensorflow/tfjs-core';
import { corePlugin, createRegistry, createRng, trainRecipe } from '@pfm/core';
import { datasetsPlugin } from '@pfm/datasets';
import { likelihoodPlugin } from '@pfm/likelihood';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const dataset = args.dataset ?? 'moons';
const steps = Number(args.steps ?? 1000);
const blocks = Number(args.blocks ?? 8);
const batchSize = Number(args.batch ?? 1024);
const lr = Number(args.lr ?? 1e-3);
const seed = Number(args.seed ?? 0);
const backend = args.backend ?? 'wasm';

if (backend === 'wasm') await (await import('@pfm/backend-wasm')).wasm().init();
else await (await import('@pfm/backend-cpu')).cpu().init();

const registry = createRegistry({ plugins: [corePlugin, datasetsPlugin, likelihoodPlugin] });
const measure = registry.get('dataset', dataset).create(registry.parseOptions('dataset', dataset, {}));
const train = measure.sample(20000, createRng(seed).fold(1));
const test = measure.sample(5000, createRng(seed).fold(2));

const recipe = { method: 'realnvp', options: { blocks }, model: { hidden: [32, 32] }, optimizer: { lr }, steps, batchSize, seed };
const t0 = performance.now();
const { model, result } = await trainRecipe(recipe, train, {
  registry,
  progressEvery: Math.max(1, Math.floor(steps / 5)),
  onProgress: (p) => console.log(`step ${p.step}/${p.steps}  train NLL ${p.loss.toFixed(3)}  (${p.stepsPerSecond.toFixed(1)} steps/s)`),
});
const seconds = (performance.now() - t0) / 1000;
const nll = tf.tidy(() => -tf.mean(model.logProb(test)).dataSync()[0]);
let reference = '';
if (measure.logProb) {
  const h = tf.tidy(() => -tf.mean(measure.logProb(test)).dataSync()[0]);
  reference = `  (the data's own density gives ${h.toFixed(3)})`;
}
console.log(
  `${dataset}: RealNVP ${blocks} blocks, ${result.steps} steps, batch ${batchSize}, lr ${lr}, ${backend}, ${seconds.toFixed(1)} s` +
    `\ntest NLL ${nll.toFixed(3)} nats${reference}`,
);
model.dispose();
tf.dispose([train, test]);
