// Times the convolution kernels of a training step on wasm at U-Net-like shapes (batch 64,
// 3×3 filters, 'same' padding, stride 1; 28×28 with 1→32 and 32→32 channels, 14×14 with
// 32→64): ms per call, medians. Not a test. Build this package first, then from its folder:
//   npx tsup && node scripts/time-conv-kernels.mjs [repeats]
//
// - Conv2D: the stock kernel (XNNPACK's convolution) against the im2col alternative, timed in
//   its two parts: writing the patches [P, 9·CI] in JavaScript (what a host kernel would do) and
//   the wasm matMul [P, 9·CI] · [9·CI, CO] (P = 64·H·W output positions).
// - Conv2DBackpropInput: the stock kernel (a direct loop) against this package's (at stride 1,
//   the stock Conv2D of dy by the flipped filter).
// - Conv2DBackpropFilter: this package's (transposed patches + matMul); tfjs has none on wasm.
// Stock and corrected kernels alternate batch by batch, so a change of load on the (shared)
// machine hits both alike. One thread: tfjs's own module in Node.js.
import { loadavg } from 'node:os';

const { tf } = await import('./load-tfjs-with-gradients.mjs');
const { registerWasmKernelFixes } = await import('../dist/index.js');

const repeats = Number(process.argv[2] ?? 7);
const load = loadavg().map((x) => x.toFixed(2));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
await tf.ready();
const stockInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
registerWasmKernelFixes();
const oursInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
function use(config) {
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

/** Median ms per call of each entry of `runs`, batches of one call each, entries alternating. */
function time(runs) {
  const samples = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let batch = 0; batch < repeats + 1; batch++) {
    for (const [kind, run] of Object.entries(runs)) {
      const start = performance.now();
      run();
      if (batch >= 1) samples[kind].push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/** im2col: cols[p, (kh·3 + kw)·C + ci] = x[b, oy + kh − 1, ox + kw − 1, ci] (3×3, 'same', stride 1), 0 outside. */
function writePatches(cols, x, n, h, w, c) {
  let at = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        for (let kh = 0; kh < 3; kh++) {
          const iy = oy + kh - 1;
          for (let kw = 0; kw < 3; kw++, at += c) {
            const ix = ox + kw - 1;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              cols.fill(0, at, at + c);
            } else {
              const from = ((b * h + iy) * w + ix) * c;
              for (let ci = 0; ci < c; ci++) cols[at + ci] = x[from + ci];
            }
          }
        }
      }
    }
  }
}

const fmt = (v) => v.toFixed(1).padStart(8);
console.log(`tfjs ${tf.version_core}, wasm backend, 1 thread, load average ${load.join(' ')}; ${repeats} batches, medians, ms per call`);
for (const [n, h, w, ci, co] of [
  [64, 28, 28, 1, 32],
  [64, 28, 28, 32, 32],
  [64, 14, 14, 32, 64],
]) {
  const x = tf.randomNormal([n, h, w, ci], 0, 1, 'float32', 1);
  const filter = tf.randomNormal([3, 3, ci, co], 0, 1, 'float32', 2);
  const dy = tf.randomNormal([n, h, w, co], 0, 1, 'float32', 3);
  const colsTensor = tf.randomNormal([n * h * w, 9 * ci], 0, 1, 'float32', 4);
  const filterMatrix = tf.reshape(filter, [9 * ci, co]).clone();
  const xValues = x.dataSync();
  const cols = new Float32Array(n * h * w * 9 * ci);
  const forward = time({
    stock: () => tf.conv2d(x, filter, 1, 'same').dispose(),
    patches: () => writePatches(cols, xValues, n, h, w, ci),
    matMul: () => tf.matMul(colsTensor, filterMatrix).dispose(),
  });
  const backInput = time({
    stock: () => {
      use(stockInput);
      tf.conv2dTranspose(dy, filter, [n, h, w, ci], 1, 'same').dispose();
    },
    ours: () => {
      use(oursInput);
      tf.conv2dTranspose(dy, filter, [n, h, w, ci], 1, 'same').dispose();
    },
  });
  use(oursInput);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, ci, co] };
  const backFilter = time({ ours: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs).dispose() });
  const label = `${n}×${h}×${w}, ${ci}→${co}`;
  console.log(
    `${label.padEnd(18)} Conv2D stock ${fmt(forward.stock)} | im2col ${fmt(forward.patches + forward.matMul)} (patches ${fmt(forward.patches)} + matMul ${fmt(forward.matMul)})`,
  );
  console.log(`${''.padEnd(18)} Conv2DBackpropInput stock ${fmt(backInput.stock)} | ours (stride 1: flipped Conv2D) ${fmt(backInput.ours)}   (${(backInput.stock / backInput.ours).toFixed(1)}x)`);
  console.log(`${''.padEnd(18)} Conv2DBackpropFilter patches + matMul ${fmt(backFilter.ours)}`);
  tf.dispose([x, filter, dy, colsTensor, filterMatrix]);
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; tensors alive ${tf.memory().numTensors}`);
