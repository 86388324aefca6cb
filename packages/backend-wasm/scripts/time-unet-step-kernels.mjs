// Times the wasm kernels that dominate a U-Net training step (batch 64, MNIST-sized images) in
// CPU milliseconds of this process per call (user + system, process.cpuUsage), medians: on a
// machine shared with other jobs a process that is not scheduled spends no CPU time, so these
// move far less with the load than wall-clock times. Not a test. Build this package first,
// then from its folder:
//   npx tsup && node scripts/time-unet-step-kernels.mjs [repeats] [previous build's dist folder]
//
// - SplitV and Concat on the channel axis: the stock kernels against this package's host ones,
//   alternating call by call.
// - Conv2DBackpropFilter beside the forward Conv2D and Conv2DBackpropInput of the same layer
//   (3×3, 'same'), the cost the filter gradient is measured against.
// - With a second argument (the dist folder of another build of this package, say the parent
//   commit's, placed inside this package's folder so that its imports resolve), every kernel
//   above is also timed as that build registers it, alternating call by call with this build.
// One thread: tfjs's own module in Node.js.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { tf } = await import('./load-tfjs-with-gradients.mjs');
const repeats = Number(process.argv[2] ?? 15);
const previousDist = process.argv[3];
const names = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Conv2D', 'SplitV', 'Concat'];

const previous = previousDist ? await import(pathToFileURL(resolve(previousDist, 'index.js')).href) : undefined;
const current = await import('../dist/index.js');
if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
await tf.ready();
const stock = Object.fromEntries(names.map((n) => [n, tf.getKernel(n, 'wasm')]));
function registered(register) {
  for (const n of names) {
    if (tf.getKernel(n, 'wasm')) tf.unregisterKernel(n, 'wasm');
    if (stock[n]) tf.registerKernel(stock[n]);
  }
  register();
  return Object.fromEntries(names.map((n) => [n, tf.getKernel(n, 'wasm')]));
}
const before = previous ? registered(() => previous.registerWasmKernelFixes()) : undefined;
const after = registered(() => current.registerWasmKernelFixes());
const backend = tf.backend();

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median CPU ms per call of each entry of `runs`, entries alternating call by call (the first round is a warm-up). */
function time(runs) {
  const samples = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let round = 0; round <= repeats; round++) {
    for (const [kind, run] of Object.entries(runs)) {
      const start = process.cpuUsage();
      run();
      const spent = process.cpuUsage(start);
      if (round > 0) samples[kind].push((spent.user + spent.system) / 1000);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/** Calls a kernel function directly and frees its outputs. */
const call = (config, inputs, attrs) => () => {
  const out = config.kernelFunc({ inputs, attrs, backend });
  for (const info of [out].flat()) backend.disposeData(info.dataId);
};
/** The same kernel as the previous build, this build and (when given) the stock one registers it. */
function versions(name, inputs, attrs, withStock = false) {
  return {
    ...(withStock ? { stock: call(stock[name], inputs, attrs) } : {}),
    ...(before ? { previous: call(before[name], inputs, attrs) } : {}),
    ours: call(after[name], inputs, attrs),
  };
}
const fmt = (v) => v.toFixed(1).padStart(7);
const row = (label, t) => console.log(`${label.padEnd(46)}${Object.entries(t).map(([k, v]) => ` ${k} ${fmt(v)}`).join(' |')}`);

console.log(`tfjs ${tf.version_core}, wasm backend, 1 thread, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${repeats} calls each, CPU ms per call, medians`);
for (const [n, h, ci, co] of [
  [64, 28, 28, 16, 16],
  [64, 28, 28, 32, 16],
  [64, 14, 14, 32, 32],
  [64, 7, 7, 32, 32],
  [64, 28, 28, 1, 16],
].map(([n, h, , ci, co]) => [n, h, ci, co])) {
  const x = tf.randomNormal([n, h, h, ci], 0, 1, 'float32', 1);
  const filter = tf.randomNormal([3, 3, ci, co], 0, 1, 'float32', 2);
  const dy = tf.randomNormal([n, h, h, co], 0, 1, 'float32', 3);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
  const t = time({
    conv2d: call(after.Conv2D, { x, filter }, attrs),
    input: call(after.Conv2DBackpropInput, { dy, filter }, { ...attrs, inputShape: [n, h, h, ci] }),
    ...Object.fromEntries(Object.entries(versions('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [3, 3, ci, co] })).map(([k, f]) => [`filter ${k}`, f])),
  });
  row(`${n}×${h}×${h}, ${ci}→${co}: Conv2D, BackpropInput, BackpropFilter`, t);
  tf.dispose([x, filter, dy]);
}
for (const [n, h, c1, c2] of [
  [64, 28, 16, 16],
  [64, 28, 32, 16],
  [64, 14, 32, 32],
  [64, 7, 32, 32],
]) {
  const a = tf.randomNormal([n, h, h, c1]);
  const b = tf.randomNormal([n, h, h, c2]);
  const x = tf.concat([a, b], 3);
  row(`SplitV [${n}, ${h}, ${h}, ${c1 + c2}] → ${c1} + ${c2}`, time(versions('SplitV', { x }, { numOrSizeSplits: [c1, c2], axis: 3 }, true)));
  row(`Concat ${c1} + ${c2} channels of [${n}, ${h}, ${h}]`, time(versions('Concat', [a, b], { axis: 3 }, true)));
  tf.dispose([a, b, x]);
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; tensors alive ${tf.memory().numTensors}`);
