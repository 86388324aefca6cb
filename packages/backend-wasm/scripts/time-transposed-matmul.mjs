// Times the wasm backend with tfjs-backend-wasm's stock kernels and with the corrected ones
// of registerWasmKernelFixes(): a matMul with a transposed operand, and one training step
// (forward + backward + SGD update) of an MLP. Not a test: it prints medians.
// Build first, then run from this package's folder:
//   npx tsup && node scripts/time-transposed-matmul.mjs [repeats]

const { tf } = await import('./load-tfjs-with-gradients.mjs');
const { registerWasmKernelFixes } = await import('../dist/index.js');

const repeats = Number(process.argv[2] ?? 30);
const warmup = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median wall times in ms of run() with the stock kernels and with the corrected ones. The two
 * alternate run by run, so that a change of load on the machine hits both alike.
 */
function timeBoth(run) {
  const samples = { stock: [], fixed: [] };
  for (let i = 0; i < warmup + repeats; i++) {
    for (const kind of ['stock', 'fixed']) {
      useKernels(kind);
      const start = performance.now();
      run();
      if (i >= warmup) samples[kind].push(performance.now() - start);
    }
  }
  return { stock: median(samples.stock), fixed: median(samples.fixed) };
}

if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
await tf.ready();

// The kernels registerWasmKernelFixes() replaces, as shipped and as corrected.
const replaced = ['BatchMatMul', '_FusedMatMul', 'GatherV2'];
const stockKernels = replaced.map((name) => tf.getKernel(name, 'wasm'));
registerWasmKernelFixes();
const kernels = { stock: stockKernels, fixed: replaced.map((name) => tf.getKernel(name, 'wasm')) };
function useKernels(kind) {
  for (const config of kernels[kind]) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}

function seeded(shape, seed) {
  return tf.randomNormal(shape, 0, 1 / Math.sqrt(shape[0]), 'float32', seed);
}

// 512x256 @ (256x256)^T, and the same product without the transpose flag for reference.
const a = seeded([512, 256], 1);
const b = seeded([256, 256], 2);
// The read-back stays inside the tidy callback: a typed array returned from tf.tidy would
// be walked element by element in search of tensors, which costs more than the product.
const matMulTransposed = () =>
  tf.tidy(() => {
    tf.matMul(a, b, false, true).dataSync();
  });
const matMulPlain = () =>
  tf.tidy(() => {
    tf.matMul(a, b).dataSync();
  });

// MLP 2 -> 256 -> 256 -> 256 -> 2 (relu), batch 512, squared error, one SGD step.
const widths = [2, 256, 256, 256, 2];
const weights = widths.slice(1).map((out, i) => tf.variable(seeded([widths[i], out], 10 + i)));
const biases = widths.slice(1).map((out) => tf.variable(tf.zeros([out])));
const x = seeded([512, 2], 20);
const y = seeded([512, 2], 21);
function mlpStep() {
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      let h = x;
      weights.forEach((w, i) => {
        const last = i === weights.length - 1;
        h = tf.fused.matMul({ a: h, b: w, bias: biases[i], activation: last ? 'linear' : 'relu' });
      });
      return tf.mean(tf.square(tf.sub(h, y)));
    });
    for (const v of [...weights, ...biases]) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
    value.dataSync();
  });
}

const transposed = timeBoth(matMulTransposed);
const plain = timeBoth(matMulPlain);
const step = timeBoth(mlpStep);
const stock = { transposed: transposed.stock, plain: plain.stock, step: step.stock };
const fixed = { transposed: transposed.fixed, plain: plain.fixed, step: step.fixed };

const fmt = (ms) => ms.toFixed(2).padStart(8);
console.log(`tfjs ${tf.version_core}, backend ${tf.getBackend()}, ${repeats} timed runs after ${warmup} warm-up runs each, stock and corrected kernels alternating, medians`);
console.log('                                          stock     fixed   (ms)');
console.log(`matMul 512x256 @ (256x256)^T          ${fmt(stock.transposed)}  ${fmt(fixed.transposed)}`);
console.log(`matMul 512x256 @ 256x256 (reference)  ${fmt(stock.plain)}  ${fmt(fixed.plain)}`);
console.log(`MLP 3x256 batch 512, fwd+bwd+SGD step ${fmt(stock.step)}  ${fmt(fixed.step)}`);
console.log(
  `MLP training steps/s                   ${(1000 / stock.step).toFixed(1).padStart(8)}  ${(1000 / fixed.step).toFixed(1).padStart(8)}`,
);
tf.dispose([a, b, x, y, ...weights, ...biases]);
