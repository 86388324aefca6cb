// Times the exact optimal-transport solver (wasserstein / exactAssignment) on 2-D point clouds.
// Not a test: run after `npx tsup` with
//   node scripts/time-exact-ot.mjs [sizes, default 1000,10000]
// x ~ N(0, I₂), y ~ N((3, 0), 4 I₂) (a shifted, wider cloud), squared Euclidean cost (W₂).
import { createRng } from '@pfm/core';
import { wasserstein } from '../dist/index.js';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);

function cloud(seed, n, mean, std) {
  const z = createRng(seed).normalArray(2 * n);
  return Array.from({ length: n }, (_, i) => [mean[0] + std * z[2 * i], mean[1] + std * z[2 * i + 1]]);
}

console.log('n = m   solver       W2        W2²       time (s)   rss (MB)');
for (const n of sizes) {
  const x = cloud(1, n, [0, 0], 1);
  const y = cloud(2, n, [3, 0], 2);
  const start = process.hrtime.bigint();
  const r = wasserstein(x, y, { p: 2 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `${String(n).padEnd(8)}${r.solver.padEnd(13)}${r.value.toFixed(5).padEnd(10)}${r.cost.toFixed(5).padEnd(10)}${seconds.toFixed(2).padEnd(11)}${rss.toFixed(0)}`,
  );
}
