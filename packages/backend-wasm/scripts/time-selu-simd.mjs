// Times the SELU SIMD module against the JavaScript loops it replaces, in CPU time of this process
// (process.cpuUsage: user + system), which moves far less than wall time on a shared machine:
//   - PfmFusedDense (selu) and PfmFusedDenseGrad (selu) at [512, 64]·[64, 64], µs per call;
//   - one flow-matching training step of the MLP 3 → 64×3 → 2 SELU, batch 512, Adam (the
//     bench's train-mlp-64-selu case), steps per CPU second.
// SIMD and JavaScript alternate batch by batch (setSeluSimdEnabled), so both meet the same load;
// medians over the batches. Not a test. Build first, then run from this package's folder:
//   npx tsup && (cd ../core && npx tsup) && node scripts/time-selu-simd.mjs [batches]
import { loadavg } from 'node:os';

const { tf } = await import('./load-tfjs-with-gradients.mjs');
const { wasm, setSeluSimdEnabled, seluSimdSupported } = await import('../dist/index.js');
const { mlp, createRng, createOptimizer } = await import('@pfm/core');

const batches = Number(process.argv[2] ?? 9);
await wasm({ threads: 1 }).init();
if (!seluSimdSupported()) throw new Error('this engine has no WebAssembly SIMD: nothing to compare');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function cpuSeconds(run) {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

// The kernels alone, on the hidden layer's shapes.
const x = tf.randomNormal([512, 64]);
const w = tf.mul(tf.randomNormal([64, 64]), 1 / 8);
const b = tf.mul(tf.randomNormal([64]), 0.1);
const dy = tf.randomNormal([512, 64]);
const attrs = { activation: 'selu' };
const forward = () => tf.engine().runKernel('PfmFusedDense', { x, weight: w, bias: b }, attrs);
const y = forward();
const backward = () => tf.engine().runKernel('PfmFusedDenseGrad', { dy, x, weight: w, y }, attrs);
const calls = 200;
const kernelTimes = { forward: { simd: [], js: [] }, backward: { simd: [], js: [] } };
for (let r = 0; r < batches; r++) {
  for (const mode of ['simd', 'js']) {
    setSeluSimdEnabled(mode === 'simd');
    for (const [name, kernel] of [['forward', forward], ['backward', backward]]) {
      for (let i = 0; i < 5; i++) tf.dispose(kernel());
      kernelTimes[name][mode].push((1e6 * cpuSeconds(() => { for (let i = 0; i < calls; i++) tf.dispose(kernel()); })) / calls);
    }
  }
}

// The training step of speed-cases.ts.
const rng = createRng(0);
const net = mlp({ inputDim: 3, outputDim: 2, hidden: [64, 64, 64], activation: 'selu', init: 'lecun-normal' }, rng);
const optimizer = createOptimizer({ name: 'adam', lr: 1e-3 }, net.variables);
function step(i) {
  const s = rng.fold(1000 + i);
  tf.tidy(() => {
    const x0 = s.normal([512, 2]);
    const x1 = tf.add(s.normal([512, 2]), 2);
    const t = s.uniform([512, 1]);
    const xt = tf.add(tf.mul(tf.sub(1, t), x0), tf.mul(t, x1));
    const target = tf.sub(x1, x0);
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(net.apply(tf.concat([xt, t], 1)), target))), net.variables);
    optimizer.apply(net.variables.map((v) => grads[v.name]), i, 1_000_000);
    value.dispose();
  });
}
const steps = 100;
const stepRates = { simd: [], js: [] };
let i = 0;
for (let r = 0; r < batches; r++) {
  for (const mode of ['simd', 'js']) {
    setSeluSimdEnabled(mode === 'simd');
    for (let k = 0; k < 5; k++) step(i++);
    net.variables[0].dataSync();
    const seconds = cpuSeconds(() => {
      for (let k = 0; k < steps; k++) step(i++);
      net.variables[0].dataSync();
    });
    stepRates[mode].push(steps / seconds);
  }
}
setSeluSimdEnabled(true);
optimizer.dispose();
net.dispose();
tf.dispose([x, w, b, dy, y]);

const f = (v) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${batches} alternating batches, CPU time, medians`);
console.log('| | JavaScript loops | SIMD module | speed-up |');
console.log('|---|---:|---:|---:|');
for (const [name, label] of [['forward', 'PfmFusedDense selu [512, 64]·[64, 64], µs per call'], ['backward', 'PfmFusedDenseGrad selu, same shapes, µs per call']]) {
  const js = median(kernelTimes[name].js);
  const simd = median(kernelTimes[name].simd);
  console.log(`| ${label} | ${f(js)} | ${f(simd)} | ×${(js / simd).toFixed(2)} |`);
}
const js = median(stepRates.js);
const simd = median(stepRates.simd);
console.log(`| training step, MLP 3→64×3→2 SELU, batch 512, Adam: steps per CPU second | ${f(js)} | ${f(simd)} | ×${(simd / js).toFixed(2)} |`);
