// Times the host (JavaScript-on-the-wasm-heap) elementwise kernels of registerWasmKernelFixes()
// against the stock tfjs-backend-wasm kernels they replace, in µs per call, and one training step
// of a small SELU MLP with either set. Not a test: it prints medians and ratios.
// Build first, then run from this package's folder:
//   npx tsup && node scripts/time-host-elementwise.mjs [repeats]
//
// Both kernels of a pair are called directly as kernel functions ({inputs, backend, attrs}) on
// the same inputs, and their outputs freed: that times the kernel alone, without the engine's
// per-op bookkeeping, which is the same for both. The stock kernels are read with tf.getKernel
// before registerWasmKernelFixes() replaces them (and their setup, which binds them to the wasm
// module, still runs: the host kernels keep it for the cases they hand back to the stock ones).
// Stock and host calls alternate batch by batch, so a change of load on the (shared) machine
// hits both alike; the median over batches is printed.
import { loadavg } from 'node:os';

const { tf } = await import('./load-tfjs-with-gradients.mjs');
const { wasm } = await import('../dist/index.js');

const repeats = Number(process.argv[2] ?? 15);
const callsPerBatch = 20;
const warmup = 10;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const NAMES = ['Exp', 'Selu', 'Select', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'Minimum', 'Maximum'];

// One thread: the stock kernels do not split elementwise loops over threads anyway, and the
// numbers then compare with the single-thread measurements that motivated these kernels.
// The stock configs are taken after the backend started (its kernels registered) and before
// the fixes: init() registers the fixes first, so start tfjs's own module here instead.
if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
await tf.ready();
const stockConfigs = new Map(NAMES.map((name) => [name, tf.getKernel(name, 'wasm')]));
await wasm({ threads: 1 }).init();
const hostConfigs = new Map(NAMES.map((name) => [name, tf.getKernel(name, 'wasm')]));
const backend = tf.backend();

function use(kind) {
  for (const name of NAMES) {
    const config = (kind === 'stock' ? stockConfigs : hostConfigs).get(name);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
}

/** Median µs per call of each kernel function, the two alternating batch by batch. */
function timeKernel(name, inputs) {
  const funcs = { stock: stockConfigs.get(name).kernelFunc, host: hostConfigs.get(name).kernelFunc };
  const samples = { stock: [], host: [] };
  for (let batch = 0; batch < warmup + repeats; batch++) {
    for (const kind of ['stock', 'host']) {
      const start = performance.now();
      for (let c = 0; c < callsPerBatch; c++) {
        const out = funcs[kind]({ inputs, backend, attrs: {} });
        backend.disposeData(out.dataId);
      }
      if (batch >= warmup) samples[kind].push(((performance.now() - start) * 1000) / callsPerBatch);
    }
  }
  return { stock: median(samples.stock), host: median(samples.host) };
}

function timeStep(run) {
  const samples = { stock: [], host: [] };
  for (let i = 0; i < warmup + repeats; i++) {
    for (const kind of ['stock', 'host']) {
      use(kind);
      const start = performance.now();
      run();
      if (i >= warmup) samples[kind].push(performance.now() - start);
    }
  }
  use('host');
  return { stock: median(samples.stock), host: median(samples.host) };
}

const rows = [];
for (const shape of [
  [512, 64],
  [512, 256],
]) {
  const x = tf.randomNormal(shape, 0, 2, 'float32', 1);
  const y = tf.randomNormal(shape, 0, 2, 'float32', 2);
  const zero = tf.scalar(0);
  const mask = tf.greater(x, zero);
  const xi = tf.cast(tf.mul(x, 10), 'int32');
  const yi = tf.cast(tf.mul(y, 10), 'int32');
  const cases = [
    ['Exp', 'x', { x }],
    ['Selu', 'x', { x }],
    // float32 t and e: the host Select hands them to the stock kernel (bool or mixed dtypes are
    // its own cases, and the stock kernel writes past its output on bool): this times the wrapper.
    ['Select', 'f32 (stock)', { condition: mask, t: x, e: y }],
    ['Greater', 'x, scalar 0', { a: x, b: zero }],
    ['Greater', 'x, y', { a: x, b: y }],
    ['GreaterEqual', 'x, y', { a: x, b: y }],
    ['Less', 'x, y', { a: x, b: y }],
    ['LessEqual', 'x, y', { a: x, b: y }],
    ['Equal', 'x, y int32', { a: xi, b: yi }],
    ['NotEqual', 'x, y int32', { a: xi, b: yi }],
    ['Minimum', 'x, scalar 0', { a: x, b: zero }],
    ['Maximum', 'x, y', { a: x, b: y }],
  ];
  for (const [name, what, inputs] of cases) rows.push({ shape: `[${shape}]`, name, what, ...timeKernel(name, inputs) });
  tf.dispose([x, y, zero, mask, xi, yi]);
}

// A training step of a 3 → 64×3 → 2 SELU MLP, batch 512: forward, backward (the SELU gradient
// runs Greater, Exp, Select), SGD update. Only this file's kernels differ between the two.
function seeded(shape, seed) {
  return tf.randomNormal(shape, 0, 1 / Math.sqrt(shape[0]), 'float32', seed);
}
const widths = [3, 64, 64, 64, 2];
const weights = widths.slice(1).map((out, i) => tf.variable(seeded([widths[i], out], 10 + i)));
const biases = widths.slice(1).map((out) => tf.variable(tf.zeros([out])));
const input = seeded([512, 3], 20);
const target = seeded([512, 2], 21);
function seluStep() {
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      let h = input;
      weights.forEach((w, i) => {
        h = tf.add(tf.matMul(h, w), biases[i]);
        if (i < weights.length - 1) h = tf.selu(h);
      });
      return tf.mean(tf.square(tf.sub(h, target)));
    });
    for (const v of [...weights, ...biases]) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
    value.dataSync();
  });
}
const step = timeStep(seluStep);
tf.dispose([input, target, ...weights, ...biases]);

const fmt = (value, width = 8) => value.toFixed(1).padStart(width);
const [load1, load5] = loadavg();
console.log(
  `tfjs ${tf.version_core}, wasm, 1 thread; ${repeats} batches of ${callsPerBatch} calls after ${warmup} warm-up batches, ` +
    `stock and host alternating; medians. Load average ${load1.toFixed(2)} (1 min), ${load5.toFixed(2)} (5 min).`,
);
console.log('shape       kernel        inputs            stock µs   host µs   stock/host');
for (const r of rows) {
  console.log(
    `${r.shape.padEnd(11)} ${r.name.padEnd(13)} ${r.what.padEnd(16)} ${fmt(r.stock, 9)} ${fmt(r.host, 9)} ${(r.stock / r.host).toFixed(1).padStart(10)}x`,
  );
}
console.log(
  `SELU MLP 3→64×3→2, batch 512, fwd+bwd+SGD step: stock ${step.stock.toFixed(2)} ms, host ${step.host.toFixed(2)} ms ` +
    `(${(step.stock / step.host).toFixed(2)}x)`,
);
