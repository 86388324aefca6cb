// Times the exact optimal-transport solver (wasserstein / exactAssignment) on 2-D point clouds,
// and, with --pot, POT's ot.emd2 (network simplex) on the same points in the same run.
// Not a test: run after `npx tsup` with
//   node scripts/time-exact-ot.mjs [sizes, default 1000,10000] [--pot] [--python /usr/bin/python3]
//     [--solver auto|assignment|network]
// A size "n" means n against n points; "n:m" means n against m (unequal sizes: network simplex).
// --solver network times the network simplex on equal sizes too (auto uses the assignment solver).
// x ~ N(0, I₂), y ~ N((3, 0), 4 I₂) (a shifted, wider cloud), squared Euclidean cost (W₂).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@pfm/core';
import { wasserstein } from '../dist/index.js';

const args = process.argv.slice(2);
const withPot = args.includes('--pot');
const pythonAt = args.indexOf('--python');
const python = pythonAt >= 0 ? args[pythonAt + 1] : 'python3';
const solverAt = args.indexOf('--solver');
const solver = solverAt >= 0 ? args[solverAt + 1] : 'auto';
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--python' && args[i - 1] !== '--solver');
const sizes = (positional[0] ?? '1000,10000').split(',').map((s) => s.split(':').map(Number));

function cloud(seed, n, mean, std) {
  const z = createRng(seed).normalArray(2 * n);
  return Array.from({ length: n }, (_, i) => [mean[0] + std * z[2 * i], mean[1] + std * z[2 * i + 1]]);
}

const dir = withPot ? mkdtempSync(join(tmpdir(), 'pfm-ot-')) : undefined;
try {
  console.log('n       m       solver       W2        W2²       time (s)   rss (MB)' + (withPot ? '   POT W2²   POT emd2 (s)  POT dist (s)  |ΔW2²|/W2²' : ''));
  for (const [n, m = n] of sizes) {
    const x = cloud(1, n, [0, 0], 1);
    const y = cloud(2, m, [3, 0], 2);
    const start = process.hrtime.bigint();
    const r = wasserstein(x, y, { p: 2, solver });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rss = process.memoryUsage().rss / 2 ** 20;
    let line = `${String(n).padEnd(8)}${String(m).padEnd(8)}${r.solver.padEnd(13)}${r.value.toFixed(5).padEnd(10)}${r.cost.toFixed(5).padEnd(10)}${seconds.toFixed(2).padEnd(11)}${rss.toFixed(0).padEnd(11)}`;
    if (dir) {
      const file = join(dir, `clouds-${n}-${m}.json`);
      writeFileSync(file, JSON.stringify({ x, y }));
      const pot = JSON.parse(execFileSync(python, [join(import.meta.dirname, 'time-pot-emd.py'), file], { encoding: 'utf8', maxBuffer: 1 << 20 }));
      line += `${pot.cost.toFixed(5).padEnd(10)}${pot.seconds_emd2.toFixed(2).padEnd(14)}${pot.seconds_cost_matrix.toFixed(2).padEnd(14)}${(Math.abs(pot.cost - r.cost) / pot.cost).toExponential(1)}`;
    }
    console.log(line);
  }
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
