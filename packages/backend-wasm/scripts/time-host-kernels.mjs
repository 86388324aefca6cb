// Times the host Transpose and reduction kernels of registerWasmKernelFixes() (JavaScript loops
// on the wasm heap) against the stock tfjs-backend-wasm kernels they replace: µs per op call,
// and the steps/s of a flow-matching training step (Adam) of two MLPs. Not a test: it prints
// medians and ratios. Build this package and @pfm/core first, then run from this package's folder:
//   npx tsup && (cd ../core && npx tsup) && node scripts/time-host-kernels.mjs [repeats]
//
// 'stock' and 'host' differ only in the six kernels Transpose, Sum, Mean, Max, Min and Prod:
// their stock configs are read with tf.getKernel after tfjs's own wasm module started and
// before registerWasmKernelFixes() replaced them, and are swapped back in (unregister +
// register) for each 'stock' batch. Every other correction stays registered in both, so the
// transposed matMul runs the corrected BatchMatMul either way: materialise the transpose (with
// the stock or the host Transpose), then the fast plain product. Ops run through tfjs (tf.sum,
// tf.transpose, ...), so the times include the engine's per-op bookkeeping, the same for both.
// Stock and host batches alternate, so a change of load on the (shared) machine hits both
// alike; the median over batches is printed, with the load average when the run started.
// One thread: tfjs's own module in Node.js, the setting the small-MLP numbers are quoted for.
import { loadavg } from 'node:os';

const { tf } = await import('./load-tfjs-with-gradients.mjs');
const { registerWasmKernelFixes } = await import('../dist/index.js');
// @pfm/core is not a dependency of this package (its tests depend on this one): its built
// dist is loaded from the workspace.
const coreUrl = new URL('../../core/dist/index.js', import.meta.url);
const { createOptimizer, createRng, mlp } = await import(coreUrl.href).catch((error) => {
  throw new Error(`build @pfm/core first (cd ../core && npx tsup): ${error.message}`);
});

const repeats = Number(process.argv[2] ?? 15);
const load = loadavg().map((x) => x.toFixed(2));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const NAMES = ['Transpose', 'Sum', 'Mean', 'Max', 'Min', 'Prod'];
if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
await tf.ready();
const configs = { stock: NAMES.map((name) => tf.getKernel(name, 'wasm')) };
registerWasmKernelFixes();
configs.host = NAMES.map((name) => tf.getKernel(name, 'wasm'));
function useKernels(kind) {
  for (const config of configs[kind]) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}

/** Median µs per call of run(), stock and host batches of `calls` calls alternating. */
function timeOp(run, calls) {
  const samples = { stock: [], host: [] };
  for (let batch = 0; batch < repeats + 2; batch++) {
    for (const kind of ['stock', 'host']) {
      useKernels(kind);
      const start = performance.now();
      for (let i = 0; i < calls; i++) run();
      if (batch >= 2) samples[kind].push(((performance.now() - start) * 1000) / calls);
    }
  }
  useKernels('host');
  return { stock: median(samples.stock), host: median(samples.host) };
}

const rows = [];
function report(label, { stock, host }, unit = 'µs') {
  rows.push({ label, stock, host, unit });
  const ratio = unit === 'µs' ? stock / host : host / stock;
  console.log(`${label.padEnd(44)} ${stock.toFixed(1).padStart(9)} ${host.toFixed(1).padStart(9)}  ${unit.padEnd(7)} ${ratio.toFixed(2)}x`);
}

console.log(`tfjs ${tf.version_core}, wasm backend, 1 thread, load average ${load.join(' ')}; ${repeats} batches per kind, medians`);
console.log(`${''.padEnd(44)} ${'stock'.padStart(9)} ${'host'.padStart(9)}  unit    speed-up`);
for (const shape of [
  [512, 64],
  [512, 256],
  [4096, 2],
]) {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
  // dataSync() is not needed: the wasm kernels finish before the call returns.
  report(`Transpose [${shape}]`, timeOp(() => tf.transpose(x).dispose(), 100));
  report(`Sum axis 0 of [${shape}]`, timeOp(() => tf.sum(x, 0).dispose(), 100));
  report(`Sum axis 1 of [${shape}] (host hands it to stock)`, timeOp(() => tf.sum(x, 1).dispose(), 100));
  x.dispose();
}
{
  // op(A) · B with A stored transposed: the product 512x64 · 64x64 (A stored [64, 512]), and
  // the weight gradient of a dense layer, x^T · dy with x and dy [512, 64] (A stored [512, 64]).
  const a = tf.randomNormal([64, 512], 0, 1, 'float32', 2);
  const b = tf.randomNormal([64, 64], 0, 1, 'float32', 3);
  const x = tf.randomNormal([512, 64], 0, 1, 'float32', 4);
  const dy = tf.randomNormal([512, 64], 0, 1, 'float32', 5);
  report('matMul [64,512]^T · [64,64] (transposeA)', timeOp(() => tf.matMul(a, b, true, false).dispose(), 50));
  report('matMul [512,64]^T · [512,64] (transposeA)', timeOp(() => tf.matMul(x, dy, true, false).dispose(), 50));
  tf.dispose([a, b, x, dy]);
}

// The flow-matching step of the benchmark's speed cases: batch 512, x_t = (1-t) x0 + t x1,
// target x1 - x0, mean squared error of the velocity, one Adam step.
function trainingStep(hidden, activation) {
  const rng = createRng(0);
  const net = mlp({ inputDim: 3, outputDim: 2, hidden, activation, init: activation === 'selu' ? 'lecun-normal' : 'glorot-uniform' }, rng);
  const optimizer = createOptimizer({ name: 'adam', lr: 1e-3 }, net.variables);
  const batch = 512;
  let step = 0;
  return {
    run() {
      const r = rng.fold(1000 + step);
      const i = step++;
      tf.tidy(() => {
        const x0 = r.normal([batch, 2]);
        const x1 = tf.add(r.normal([batch, 2]), 2);
        const t = r.uniform([batch, 1]);
        const xt = tf.add(tf.mul(tf.sub(1, t), x0), tf.mul(t, x1));
        const target = tf.sub(x1, x0);
        const { value, grads } = tf.variableGrads(
          () => tf.mean(tf.square(tf.sub(net.apply(tf.concat([xt, t], 1)), target))),
          net.variables,
        );
        optimizer.apply(
          net.variables.map((v) => grads[v.name]),
          i,
          1_000_000,
        );
        value.dispose();
      });
    },
    sync: () => net.variables[0].dataSync(),
    dispose() {
      optimizer.dispose();
      net.dispose();
    },
  };
}

for (const [label, hidden, activation, steps] of [
  ['MLP 3→64×3→2 SELU', [64, 64, 64], 'selu', 20],
  ['MLP 3→256×3→2 SiLU', [256, 256, 256], 'silu', 5],
]) {
  const step = trainingStep(hidden, activation);
  for (let i = 0; i < 5; i++) step.run();
  const ms = timeOp(() => {
    step.run();
    step.sync();
  }, steps);
  report(`${label} training step, batch 512, Adam`, { stock: 1e6 / ms.stock, host: 1e6 / ms.host }, 'steps/s');
  step.dispose();
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; tensors alive ${tf.memory().numTensors}`);
