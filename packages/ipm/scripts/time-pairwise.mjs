// Times the pairwise discrepancies, forward + gradient in x (as in a training step), fused host
// loop against the composed tfjs ops (`fused: false`), on the cpu and wasm backends; then a
// 100 000 × 100 000 2-D energy distance (fused) with its peak resident memory. Not a test: run
// after `npx tsup` with
//   node scripts/time-pairwise.mjs [sizes, default 1024,4096] [fused-only sizes, default 16384] [huge n, default 100000]
// Each backend, and the huge case, runs in its own child process (so kernel registrations never mix
// and maxRSS belongs to that case alone). x ~ N(0, I₂), y ~ N((1, 0), I₂); unbiased estimators;
// Gaussian MMD with bandwidth 1; medians over 5 interleaved repeats (fused, composed, fused, …).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { energyDistance, gaussianKernel, mmd } from '../dist/index.js';

const self = fileURLToPath(import.meta.url);
const [mode, ...rest] = process.argv.slice(2);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

function clouds(n) {
  const x = tf.tensor2d(createRng(1).normalArray(2 * n), [n, 2], 'float32');
  const shift = tf.tensor2d([[1, 0]]);
  const y = tf.add(tf.tensor2d(createRng(2).normalArray(2 * n), [n, 2], 'float32'), shift);
  shift.dispose();
  return [x, y];
}

const kernel = gaussianKernel({ bandwidth: 1 });
const cases = {
  energy: (x, y, fused) => energyDistance(x, y, { fused }),
  'mmd-gaussian': (x, y, fused) => mmd(x, y, { kernel, fused }),
};

/** Milliseconds of one forward + gradient (value and ∂/∂x read back to the host). */
function timeOnce(run, x, y, fused) {
  const start = performance.now();
  const { value, grad } = tf.valueAndGrad((a) => run(a, y, fused))(x);
  value.dataSync();
  grad.dataSync();
  const ms = performance.now() - start;
  tf.dispose([value, grad]);
  return ms;
}

/**
 * Medians of fused and composed runs, interleaved (fused, composed, fused, …) so that load from
 * other processes hits both alike. A composed run slower than 20 s is timed once after its warm-up.
 * `warm = false` (sizes after the first: the JIT is already warm) skips the fused warm-up.
 */
function timePair(run, x, y, withComposed, repeats, warm) {
  if (warm) timeOnce(run, x, y, true);
  const slow = withComposed && timeOnce(run, x, y, false) > 20_000;
  const fused = [];
  const composed = [];
  for (let r = 0; r < repeats; r++) {
    fused.push(timeOnce(run, x, y, true));
    if (withComposed && (!slow || r === 0)) composed.push(timeOnce(run, x, y, false));
  }
  return { fusedMs: median(fused), composedMs: withComposed ? median(composed) : null };
}

async function startBackend(name) {
  if (name === 'wasm') {
    const { wasm } = await import('@pfm/backend-wasm');
    await wasm().init();
  } else {
    const { cpu } = await import('@pfm/backend-cpu');
    await cpu().init();
  }
}

if (mode === '--backend') {
  const [backend, sizesArg, fusedOnlyArg] = rest;
  await startBackend(backend);
  const rows = [];
  const sizes = sizesArg.split(',').filter(Boolean).map(Number);
  const fusedOnly = fusedOnlyArg.split(',').filter(Boolean).map(Number);
  for (const n of [...sizes, ...fusedOnly]) {
    const [x, y] = clouds(n);
    for (const [name, run] of Object.entries(cases)) {
      // Fused-only sizes (16 384² pairs and up) run for seconds: one timed run, no warm-up.
      const composed = sizes.includes(n);
      const { fusedMs, composedMs } = timePair(run, x, y, composed, composed ? 5 : 1, composed);
      rows.push({ case: `${name} ${n}x${n}`, backend, fusedMs, composedMs });
      process.stderr.write(`  ${backend} ${name} ${n}: fused ${fusedMs.toFixed(1)} ms, composed ${composedMs?.toFixed(1) ?? '-'} ms\n`);
    }
    tf.dispose([x, y]);
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
} else if (mode === '--huge') {
  const n = Number(rest[0]);
  await startBackend('wasm');
  const [x, y] = clouds(n);
  const start = performance.now();
  const { value, grad } = tf.valueAndGrad((a) => energyDistance(a, y))(x);
  const v = value.dataSync()[0];
  const gradNorm = Math.sqrt(grad.square().sum().dataSync()[0]);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([value, grad, x, y]);
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({ n, value: v, gradNorm, seconds, maxRssMB: usage.maxRSS / 1024, rssMB: process.memoryUsage().rss / 2 ** 20 })}\n`,
  );
} else {
  const sizes = mode ?? '1024,4096';
  const fusedOnly = rest[0] ?? '16384';
  const huge = rest[1] ?? '100000';
  const child = (args) => {
    const r = spawnSync(process.execPath, [self, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`time-pairwise ${args.join(' ')} exited with ${r.status}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  console.log('forward + gradient in x, median ms (unbiased estimators, d = 2)');
  console.log('case                   backend  fused (ms)  composed (ms)  composed / fused');
  for (const backend of ['cpu', 'wasm']) {
    for (const row of child(['--backend', backend, sizes, fusedOnly])) {
      const ratio = row.composedMs === null ? '' : (row.composedMs / row.fusedMs).toFixed(1);
      console.log(
        `${row.case.padEnd(23)}${backend.padEnd(9)}${row.fusedMs.toFixed(1).padStart(10)}  ${(row.composedMs === null ? '-' : row.composedMs.toFixed(1)).padStart(13)}  ${ratio.padStart(16)}`,
      );
    }
  }
  if (Number(huge) > 0) {
    const r = child(['--huge', huge]);
    console.log(
      `\nenergy distance ${r.n}x${r.n} (d = 2, fused, wasm backend), forward + gradient: ${r.seconds.toFixed(1)} s, ` +
        `peak RSS ${r.maxRssMB.toFixed(0)} MB (value ${r.value.toFixed(5)}, ‖grad‖ ${r.gradNorm.toExponential(3)})`,
    );
  }
}
