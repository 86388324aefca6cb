#!/usr/bin/env node
// Load test of the command line: writes large data files (1,000,000 rows in 2-D, 100,000 rows
// in 64-D), then runs `pfm train` for a few steps and `pfm eval` on them, each in its own process
// under /usr/bin/time -v (when present), and reports wall time and peak resident memory.
//
//   node scripts/load.mjs [--method flow-matching] [--backend cpu|wasm] [--steps 20] [--dir DIR]
//        [--formats npy,csv] [--cases 1m-x-2,100k-x-64] [--out report.json]
//
// Needs the built packages (npx tsup in packages/core and packages/cli).
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '@pfm/core';
import { writeDataFile } from '@pfm/core/node';

const { values } = parseArgs({
  options: {
    method: { type: 'string', default: 'flow-matching' },
    backend: { type: 'string', default: 'cpu' },
    steps: { type: 'string', default: '20' },
    dir: { type: 'string' },
    formats: { type: 'string', default: 'npy,csv' },
    cases: { type: 'string', default: '1m-x-2,100k-x-64' },
    out: { type: 'string' },
  },
});
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// A directory of its own unless --dir names one (its data files are then reused by later runs).
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'pfm-load-'));
mkdirSync(dir, { recursive: true });

/** rows × cols points: a 4-component Gaussian mixture (Box–Muller), in float32. */
function mixture(rows, cols, seed) {
  const rng = createRng(seed);
  const random = () => rng.next();
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const centre = Math.floor(random() * 4);
    for (let j = 0; j < cols; j++) {
      const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      values[i * cols + j] = (j % 4 === centre ? 3 : 0) + 0.5 * g;
    }
  }
  return { rows, cols, values };
}

/** Runs the command line under /usr/bin/time -v; returns seconds, peak RSS and the output. */
function measure(label, args) {
  const command = timeTool ? [timeTool, '-v', process.execPath, bin, ...args] : [process.execPath, bin, ...args];
  const start = performance.now();
  const r = spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const result = {
    label,
    command: `pfm ${args.join(' ')}`,
    exitCode: r.status,
    seconds: +seconds.toFixed(2),
    peakRssMiB: peak ? +(Number(peak[1]) / 1024).toFixed(1) : null,
    stdout: (r.stdout ?? '').trim().slice(0, 400),
  };
  if (r.status !== 0) result.stderr = (r.stderr ?? '').split('\n').filter((l) => !/^\s/.test(l) && l.trim()).slice(-3).join(' | ');
  console.log(`${label}: exit ${r.status}, ${result.seconds} s, peak RSS ${result.peakRssMiB ?? '?'} MiB`);
  return result;
}

const results = [];
const cases = [
  { name: '1m-x-2', rows: 1_000_000, cols: 2 },
  { name: '100k-x-64', rows: 100_000, cols: 64 },
];
for (const c of cases.filter((k) => values.cases.split(',').includes(k.name))) {
  for (const format of values.formats.split(',')) {
    const path = join(dir, `${c.name}.${format}`);
    if (!existsSync(path)) {
      const t = performance.now();
      await writeDataFile(path, mixture(c.rows, c.cols, 7));
      console.log(`wrote ${path} (${(statSync(path).size / 1024 / 1024).toFixed(1)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const model = join(dir, `${c.name}-${format}-model.json`);
    results.push({
      data: path,
      bytes: statSync(path).size,
      ...measure(`train ${c.name}.${format}`, [
        'train', '--data', path, '--method', values.method, '--steps', values.steps, '--batch-size', '256',
        '--checkpoint-every', String(Math.max(1, Math.floor(Number(values.steps) / 2))), '--backend', values.backend, '--quiet', '--out', model,
      ]),
    });
    results.push({
      data: path,
      bytes: statSync(path).size,
      ...measure(`eval ${c.name}.${format}`, ['eval', '--metric', 'characteristic', '--a', path, '--b', path, '--backend', values.backend, '--json']),
    });
  }
}
const report = { method: values.method, backend: values.backend, steps: Number(values.steps), node: process.version, results };
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report.results.map(({ label, exitCode, seconds, peakRssMiB }) => ({ label, exitCode, seconds, peakRssMiB }))));
