#!/usr/bin/env node
// Measures the time and peak memory (max resident set size) of readDataFile on large data sets:
// 1,000,000 × 2 and 100,000 × 64 float32 tables as CSV, JSON rows and .npy.
//
//   node scripts/measure-load.mjs [--dir DIR] [--repeat 3] [--module PATH]
//
// Each file is written first (by writeDataFile, from a seeded Gaussian table; kept and reused
// when --dir is given), then read --repeat times, each in a fresh Node process, so the peak of
// one read is not mixed with the writing or another read. The table shows the fastest wall and
// CPU time (CPU time, user + system, varies less on a busy machine) and the largest peak of the
// repeats. --module takes readDataFile from another build (e.g. an older
// version bundled to one file), to compare on the same files and the same machine.
// The baseline row is a process that imports @pfm/core/node and reads nothing: subtract it to
// get what the read itself costs. Runs on the built dist (build first with `npx tsup`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

if (args[0] === '--read') {
  // Child: read one file (or nothing, for the baseline) and report as one JSON line.
  const { readDataFile } = await import(args[2] ? pathToFileURL(args[2]).href : '../dist/node.js');
  const file = args[1];
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let shape = null;
  if (file !== 'none') {
    const table = await readDataFile(file);
    shape = [table.rows, table.cols];
    // Checksum, so the values are used and a wrong read would show.
    let sum = 0;
    for (let k = 0; k < table.values.length; k++) sum += table.values[k];
    shape.push(sum);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ file, shape, seconds, cpuSeconds, maxRssMiB }));
  process.exit(0);
}

if (args[0] === '--write') {
  // Child: write one file of `rows` × `cols` standard normal values (xorshift32 + Box–Muller).
  const { writeDataFile } = await import('../dist/node.js');
  const [, file, rowsText, colsText] = args;
  const rows = Number(rowsText);
  const cols = Number(colsText);
  const values = new Float32Array(rows * cols);
  let state = 0x9e3779b9;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 1) / 4294967297;
  };
  for (let k = 0; k < values.length; k++) values[k] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  await writeDataFile(file, { rows, cols, values });
  process.exit(0);
}

const dirIndex = args.indexOf('--dir');
const dir = dirIndex >= 0 ? args[dirIndex + 1] : mkdtempSync(join(tmpdir(), 'pfm-load-'));
const keep = dirIndex >= 0;
const repeatIndex = args.indexOf('--repeat');
const repeat = repeatIndex >= 0 ? Number(args[repeatIndex + 1]) : 3;
const moduleIndex = args.indexOf('--module');
const moduleArgs = moduleIndex >= 0 ? [resolve(args[moduleIndex + 1])] : [];
mkdirSync(dir, { recursive: true });
const cases = [
  { rows: 1_000_000, cols: 2 },
  { rows: 100_000, cols: 64 },
];
const run = (childArgs) => {
  const result = spawnSync(process.execPath, [self, ...childArgs], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`node ${childArgs.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
};

// The fastest time and the largest peak of `repeat` reads, each in a fresh process.
const measure = (file) => {
  const runs = Array.from({ length: repeat }, () => JSON.parse(run(['--read', file, ...moduleArgs])));
  return {
    ...runs[0],
    seconds: Math.min(...runs.map((r) => r.seconds)),
    cpuSeconds: Math.min(...runs.map((r) => r.cpuSeconds)),
    maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)) };
};
const rows = [measure('none')];
for (const { rows: n, cols: d } of cases) {
  for (const format of ['csv', 'json', 'npy']) {
    const file = join(dir, `normal-${n}x${d}.${format}`);
    if (!keep || !existsSync(file)) run(['--write', file, String(n), String(d)]);
    const measured = measure(file);
    measured.megabytes = statSync(file).size / 2 ** 20;
    rows.push(measured);
  }
}
if (!keep) rmSync(dir, { recursive: true, force: true });

console.log('| file | size MiB | rows × cols | seconds | CPU seconds | peak RSS MiB |');
console.log('|---|---:|---|---:|---:|---:|');
for (const r of rows) {
  const name = r.file === 'none' ? '(baseline: import only)' : r.file.split(/[/\\]/).pop();
  const size = r.megabytes === undefined ? '' : r.megabytes.toFixed(1);
  const shape = r.shape ? `${r.shape[0]} × ${r.shape[1]}` : '';
  console.log(`| ${name} | ${size} | ${shape} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.maxRssMiB.toFixed(0)} |`);
}
