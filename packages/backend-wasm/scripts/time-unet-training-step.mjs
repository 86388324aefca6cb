// Times the training step of the speed case train-unet-mnist (flow matching, the default unet of
// @pfm/core on [64, 28, 28, 1], Adam) on this package's wasm backend, one thread, in CPU
// milliseconds of this process (user + system, process.cpuUsage): on a machine shared with other
// jobs a process that is not scheduled spends no CPU time, so these move far less with the load
// than wall-clock times. Prints the median CPU ms per step and each kernel's CPU ms per step
// (every wasm kernel wrapped), most expensive first. Not a test. Build this package and
// @pfm/core first, then from this package's folder:
//   npx tsup && node scripts/time-unet-training-step.mjs [steps] [previous build's dist folder]
// With a second argument (the dist folder of another build of this package, placed inside this
// package's folder so that its imports resolve), steps alternate between the kernels that build
// registers and this build's, and both medians are printed.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { tf } = await import('./load-tfjs-with-gradients.mjs');
const steps = Number(process.argv[2] ?? 6);
const previousDist = process.argv[3];
// PFM_BY_SHAPE=1 lists kernels by input shapes too.
const byShape = process.env.PFM_BY_SHAPE === '1';
const core = await import('@pfm/core');

const previous = previousDist ? await import(pathToFileURL(resolve(previousDist, 'index.js')).href) : undefined;
const current = await import('../dist/index.js');
if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
await tf.ready();
const stockKernels = new Map(tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k]));
const cost = new Map();
// Kernels called from inside other kernels count in both; topLevel counts each CPU ms once.
let depth = 0;
const topLevel = { ms: 0 };
/** Registers `register`'s kernels over the stock ones, each wrapped to add its CPU time to `cost`. */
function registered(register) {
  for (const k of tf.getKernelsForBackend('wasm')) tf.unregisterKernel(k.kernelName, 'wasm');
  for (const k of stockKernels.values()) tf.registerKernel(k);
  register();
  const kernels = tf.getKernelsForBackend('wasm').map((k) => ({ ...k }));
  for (const k of kernels) {
    const inner = k.kernelFunc;
    k.kernelFunc = (args) => {
      const start = process.cpuUsage();
      depth += 1;
      let out;
      try {
        out = inner(args);
      } finally {
        depth -= 1;
      }
      const spent = process.cpuUsage(start);
      if (depth === 0) topLevel.ms += (spent.user + spent.system) / 1000;
      const key = byShape ? `${k.kernelName} ${Object.values(args.inputs).map((t) => `[${t.shape.join(',')}]`).join(' ')}` : k.kernelName;
      const c = cost.get(key) ?? { calls: 0, ms: 0 };
      c.calls += 1;
      c.ms += (spent.user + spent.system) / 1000;
      cost.set(key, c);
      return out;
    };
  }
  return kernels;
}
function use(kernels) {
  for (const k of tf.getKernelsForBackend('wasm')) tf.unregisterKernel(k.kernelName, 'wasm');
  for (const k of kernels) tf.registerKernel(k);
}
const builds = { ...(previous ? { previous: registered(() => previous.registerWasmKernelFixes()) } : {}), ours: registered(() => current.registerWasmKernelFixes()) };

const n = 64;
const shape = [28, 28, 1];
const dim = 28 * 28;
const rng = core.createRng(4);
const field = core.unet({ shape }, rng.fold(0));
const variables = field.variables;
const optimizer = core.createOptimizer({ name: 'adam', lr: 1e-3 }, variables);
function step(i) {
  const r = rng.fold(1000 + i);
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const x1 = r.fold(0).uniform([n, dim]);
      const x0 = r.fold(1).normal([n, dim]);
      const t = r.fold(2).uniform([n]);
      const tc = tf.reshape(t, [-1, 1]);
      const xt = tf.add(tf.mul(tf.sub(1, tc), x0), tf.mul(tc, x1));
      return tf.mean(tf.square(tf.sub(field.evaluate(t, xt), tf.sub(x1, x0))));
    }, variables);
    optimizer.apply(variables.map((v) => grads[v.name]), i, 1_000_000);
    variables[0].dataSync();
    value.dispose();
  });
}
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const samples = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
const outside = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
const perKernel = Object.fromEntries(Object.keys(builds).map((k) => [k, new Map()]));
for (let i = 0; i <= steps; i++) {
  for (const [name, kernels] of Object.entries(builds)) {
    use(kernels);
    cost.clear();
    topLevel.ms = 0;
    const start = process.cpuUsage();
    step(i);
    const spent = process.cpuUsage(start);
    if (i === 0) continue; // warm-up: allocator, XNNPACK operators
    samples[name].push((spent.user + spent.system) / 1000);
    outside[name].push((spent.user + spent.system) / 1000 - topLevel.ms);
    for (const [k, c] of cost) {
      const sum = perKernel[name].get(k) ?? { calls: 0, ms: 0 };
      sum.calls += c.calls / steps;
      sum.ms += c.ms / steps;
      perKernel[name].set(k, sum);
    }
  }
}
console.log(`tfjs ${tf.version_core}, wasm backend, 1 thread, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${steps} steps each, CPU ms`);
for (const [name, s] of Object.entries(samples)) {
  const kernels = [...perKernel[name].entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = kernels.reduce((acc, [, c]) => acc + c.ms, 0);
  console.log(`\n${name}: median ${median(s).toFixed(0)} ms per step (${s.map((v) => v.toFixed(0)).join(', ')}); outside kernels ${median(outside[name]).toFixed(0)} ms (median); kernels listed with the kernels they call (${total.toFixed(0)} ms, mean)`);
  for (const [k, c] of kernels.filter(([k]) => !process.env.PFM_ONLY || new RegExp(process.env.PFM_ONLY).test(k)).slice(0, byShape ? 60 : 24)) console.log(`  ${k.padEnd(byShape ? 60 : 28)} ${c.calls.toFixed(0).padStart(5)} calls ${c.ms.toFixed(1).padStart(8)} ms`);
}
optimizer.dispose();
field.dispose();
console.log(`\nload average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; tensors alive ${tf.memory().numTensors}`);
