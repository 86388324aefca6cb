// `pnpm bench:speed`: the speed suite on @pfm/backend-wasm, stock tfjs-backend-wasm and the cpu
// backend (each in its own process), exact W2 scaling, and an optional python reference; prints a
// table with ratios (medians over repeats) and writes speed.json and speed.md to --out.
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMachine, benchVersions } from './results/environment.js';
import { pythonReference } from './speed/python-reference.js';
import type { SpeedResult, SpeedSettings } from './speed/speed-cases.js';
import { w2Scaling } from './speed/w2-scaling.js';

const BACKENDS = ['pfm-wasm', 'stock-wasm', 'cpu'] as const;

function parseArgs(argv: readonly string[]) {
  const args = { out: 'bench-output', repeats: 5, trainSteps: 50, pairPoints: 4096, matmulSize: 512, w2Sizes: [1000, 2000, 5000, 10_000], w2Budget: 300, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const int = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
      i++;
      return n;
    };
    if (flag === '--out') {
      if (!value) throw new Error('--out needs a folder');
      args.out = value;
      i++;
    } else if (flag === '--repeats') args.repeats = int();
    else if (flag === '--train-steps') args.trainSteps = int();
    else if (flag === '--points') args.pairPoints = int();
    else if (flag === '--w2-budget') args.w2Budget = int();
    else if (flag === '--quick') {
      Object.assign(args, { repeats: 3, trainSteps: 20, pairPoints: 1024, w2Sizes: [500, 1000], w2Budget: 30, quick: true });
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write('pnpm bench:speed [--out DIR] [--repeats 5] [--train-steps 50] [--points 4096] [--w2-budget 300] [--quick]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${JSON.stringify(flag)}`);
  }
  return args;
}

function runWorker(backend: string, settings: SpeedSettings): Promise<SpeedResult[]> {
  const worker = fileURLToPath(new URL('./speed-worker.js', import.meta.url));
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [worker, backend, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${backend} worker exited with code ${code}`));
      resolveRun((JSON.parse(stdout.trim().split('\n').pop()!) as { results: SpeedResult[] }).results);
    });
  });
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));

try {
  const args = parseArgs(process.argv.slice(2));
  const outDir = resolve(args.out);
  mkdirSync(outDir, { recursive: true });
  const settings: SpeedSettings = { repeats: args.repeats, trainSteps: args.trainSteps, pairPoints: args.pairPoints, matmulSize: args.matmulSize };
  const byBackend: Record<string, SpeedResult[] | string> = {};
  for (const b of BACKENDS) {
    process.stderr.write(`speed: ${b}\n`);
    try {
      byBackend[b] = await runWorker(b, settings);
    } catch (error) {
      byBackend[b] = (error as Error).message;
    }
  }
  process.stderr.write('speed: exact W2 scaling\n');
  const w2 = w2Scaling(args.w2Sizes, args.w2Budget, (n) => process.stderr.write(`  W2 ${n} vs ${n}\n`));
  const largest = w2.timings[w2.timings.length - 1];
  process.stderr.write('speed: python reference\n');
  const python = pythonReference({ repeats: args.repeats, trainSteps: args.trainSteps, w2n: largest?.n ?? 1000 });

  const ok = (b: string) => (Array.isArray(byBackend[b]) ? (byBackend[b] as SpeedResult[]) : []);
  const cases = ok('pfm-wasm').length ? ok('pfm-wasm') : ok('stock-wasm').length ? ok('stock-wasm') : ok('cpu');
  const lines = [
    '# pfm speed suite',
    '',
    `${benchMachine().cpuModel} × ${benchMachine().cpuCount}, ${benchMachine().os}, node ${process.version}; medians over ${args.repeats} repeats` +
      `${args.quick ? ' (--quick sizes)' : ''}. Ratio = @pfm/backend-wasm against the other backend, oriented so that > 1 means @pfm/backend-wasm is faster.`,
    '',
    '| case | unit | @pfm/backend-wasm | stock tfjs-backend-wasm | cpu | ratio vs stock wasm | ratio vs cpu | python reference (ratio) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of cases) {
    const get = (b: string) => ok(b).find((r) => r.id === c.id)?.median;
    const [p, s, cpu] = [get('pfm-wasm'), get('stock-wasm'), get('cpu')];
    const ratio = (o: number | undefined) => (p !== undefined && o !== undefined ? `×${fmt(c.higherIsBetter ? p / o : o / p)}` : '–');
    const ref = python.trainStepsPerSecond[c.id];
    lines.push(
      `| ${c.label} | ${c.unit} | ${p !== undefined ? fmt(p) : '–'} | ${s !== undefined ? fmt(s) : '–'} | ${cpu !== undefined ? fmt(cpu) : '–'} | ${ratio(s)} | ${ratio(cpu)} | ${ref !== undefined ? `${fmt(ref)} (×${fmt((p ?? NaN) / ref)})` : '–'} |`,
    );
  }
  for (const b of BACKENDS) if (typeof byBackend[b] === 'string') lines.push('', `${b}: failed (${byBackend[b]})`);
  lines.push('', 'Exact W2 (@pfm/ipm `wasserstein`, optimal assignment on the host in Float64; the same on every backend):', '', '| n vs n | seconds | W2 |', '|---|---|---|');
  for (const t of w2.timings) lines.push(`| ${t.n} | ${fmt(t.seconds)} | ${t.w2.toFixed(4)} |`);
  if (w2.skipped.length) lines.push('', `Skipped (predicted over ${args.w2Budget} s from cubic growth): ${w2.skipped.join(', ')}. Largest size that finished: ${largest?.n ?? 'none'}.`);
  if (python.w2Seconds) lines.push('', `POT ot.emd2 at ${python.w2Seconds.n} vs ${python.w2Seconds.n}: ${fmt(python.w2Seconds.seconds)} s (ours ×${fmt(python.w2Seconds.seconds / (largest?.seconds ?? NaN))}).`);
  lines.push('', `Reference: ${python.note}.`, '');
  const report = lines.join('\n');
  const json = { versions: benchVersions(), machine: benchMachine(), settings: { ...settings, w2Sizes: args.w2Sizes, w2Budget: args.w2Budget }, backends: byBackend, w2, python };
  for (const [name, text] of [['speed.json', `${JSON.stringify(json, null, 1)}\n`], ['speed.md', report]] as const) {
    const tmp = join(outDir, `${name}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(outDir, name));
  }
  process.stdout.write(`${report}\n`);
} catch (error) {
  process.stderr.write(`bench:speed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
