// `pnpm bench:speed`: the speed suite on @pfm/backend-wasm (one thread and every core), stock
// tfjs-backend-wasm and the cpu backend (each in its own process), exact W2 scaling, and an
// optional python reference at the same thread counts; prints a table with ratios (medians over
// repeats) and writes speed.json and speed.md to --out. --profile adds the cost per kernel of a
// training step. --browser adds a column: the same cases on @pfm/backend-webgpu in headless
// Chromium, with the adapter they ran on (speed/browser-speed.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMachine, benchVersions } from './results/environment.js';
import { adapterLine, findChromium, runBrowserSpeed, type BrowserSpeedOutput } from './speed/browser-speed.js';
import { findPython, pythonReference } from './speed/python-reference.js';
import { sinkhornSpeed, sinkhornTable } from './speed/sinkhorn-speed.js';
import { speedHelp } from './speed/speed-help.js';
import type { SpeedResult, SpeedSettings, TrainingProfile } from './speed/speed-cases.js';
import { w2Scaling } from './speed/w2-scaling.js';

const CORES = availableParallelism();
const THREADS = CORES > 1 ? [1, CORES] : [1];
const OURS = THREADS.map((t) => `pfm-wasm@${t}`);
const OURS_ALL = OURS[OURS.length - 1]!;
const BACKENDS = [...OURS, 'stock-wasm', 'cpu'];

interface WorkerOutput {
  results: SpeedResult[];
  profiles?: TrainingProfile[];
}

/** The suite's options from argv; null for --help. */
function parseArgs(argv: readonly string[]) {
  const args = {
    out: 'bench-output',
    repeats: 5,
    trainSteps: 50,
    pairPoints: 4096,
    matmulSize: 512,
    w2Sizes: [1000, 2000, 5000, 10_000],
    w2Budget: 300,
    quick: false,
    profile: false,
    profileSteps: 10,
    cases: undefined as string[] | undefined,
    noW2: false,
    sinkhornSizes: [1024, 4096],
    noSinkhorn: false,
    potIterations: 1000,
    browser: false,
    cnfRecipes: 0,
    cnfSeeds: [0, 1, 2],
    cnfCandidates: undefined as string[] | undefined,
    cnfProducts: false,
  };
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
    else if (flag === '--no-w2') args.noW2 = true;
    else if (flag === '--no-sinkhorn') args.noSinkhorn = true;
    else if (flag === '--pot-iterations') args.potIterations = int();
    else if (flag === '--sinkhorn-sizes') {
      if (!value) throw new Error('--sinkhorn-sizes needs a comma-separated list of point counts');
      args.sinkhornSizes = value.split(',').map((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 2) throw new Error(`--sinkhorn-sizes must be integers ≥ 2, got ${JSON.stringify(v)}`);
        return n;
      });
      i++;
    }
    else if (flag === '--cnf-recipes') args.cnfRecipes = int();
    else if (flag === '--cnf-products') args.cnfProducts = true;
    else if (flag === '--cnf-seeds') {
      if (!value) throw new Error('--cnf-seeds needs a comma-separated list of seeds');
      args.cnfSeeds = value.split(',').map((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new Error(`--cnf-seeds must be integers ≥ 0, got ${JSON.stringify(v)}`);
        return n;
      });
      i++;
    }
    else if (flag === '--cnf-candidates') {
      if (!value) throw new Error('--cnf-candidates needs a comma-separated list of candidate ids');
      args.cnfCandidates = value.split(',');
      i++;
    } else if (flag === '--profile') args.profile = true;
    else if (flag === '--browser') args.browser = true;
    else if (flag === '--profile-steps') {
      args.profileSteps = int();
      args.profile = true;
    } else if (flag === '--cases') {
      if (!value) throw new Error('--cases needs a comma-separated list of case ids');
      args.cases = value.split(',').map((id) => id.trim());
      i++;
    }
    else if (flag === '--quick') {
      Object.assign(args, { repeats: 3, trainSteps: 20, pairPoints: 1024, w2Sizes: [500, 1000], w2Budget: 30, sinkhornSizes: [1024], potIterations: 200, quick: true });
    } else if (flag === '--help' || flag === '-h') {
      return null;
    } else throw new Error(`unknown option ${JSON.stringify(flag)}`);
  }
  return args;
}

function runWorker(backend: string, settings: SpeedSettings): Promise<WorkerOutput> {
  const worker = fileURLToPath(new URL('./speed-worker.js', import.meta.url));
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [worker, backend, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${backend} worker exited with code ${code}`));
      resolveRun(JSON.parse(stdout.trim().split('\n').pop()!) as WorkerOutput);
    });
  });
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
const label = (b: string) => (b.startsWith('pfm-wasm@') ? `@pfm/backend-wasm, ${b.slice(9)} thread${b.endsWith('@1') ? '' : 's'}` : b === 'stock-wasm' ? 'stock tfjs-backend-wasm (1 thread)' : 'cpu backend');

/** Atomically writes `text` to `dir/name` (a temporary file, then a rename). */
function writeOutput(dir: string, name: string, text: string): void {
  const tmp = join(dir, `${name}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(dir, name));
}

/**
 * `--cnf-products`: the matrix products of one CNF and one flow-matching training step, timed alone
 * against the whole step on one wasm thread (speed/cnf-products.ts); `repeats` alternations of
 * `trainSteps` CNF steps (10× as many flow-matching steps) and as many replays of their products.
 */
async function runCnfProducts(repeats: number, trainSteps: number, outDir: string): Promise<void> {
  const { cnfProducts, cnfProductsTable } = await import('./speed/cnf-products.js');
  const { wasm } = await import('@pfm/backend-wasm');
  await wasm({ threads: 1 }).init();
  const load = () => loadavg()[0]!.toFixed(2);
  const loadBefore = load();
  const results = cnfProducts(repeats, trainSteps);
  const report = `${cnfProductsTable(results)}\nOne wasm thread; ${repeats} alternations of ${trainSteps} CNF steps (${10 * trainSteps} flow-matching steps) and as many replays of their products; load average ${loadBefore} before, ${load()} after.\n`;
  process.stdout.write(report);
  writeOutput(outDir, 'cnf-products.json', `${JSON.stringify({ versions: benchVersions(), machine: benchMachine(), repeats, trainSteps, results }, null, 1)}\n`);
  writeOutput(outDir, 'cnf-products.md', report);
}

/** `--cnf-recipes STEPS`: the CNF training recipes side by side on one wasm thread, in this process. */
async function runCnfRecipes(steps: number, seeds: readonly number[], candidateIds: readonly string[] | undefined, outDir: string): Promise<void> {
  const { cnfRecipeCandidates, cnfRecipeTable, cnfRecipeTrial } = await import('./speed/cnf-recipes.js');
  // Unknown ids are refused before the backend starts.
  const candidates = cnfRecipeCandidates(candidateIds);
  const { wasm } = await import('@pfm/backend-wasm');
  await wasm({ threads: 1 }).init();
  const trials = [];
  // Seeds outermost, so that every candidate sees the same load of the machine in turn.
  for (const seed of seeds) {
    for (const candidate of candidates) {
      process.stderr.write(`cnf recipes: ${candidate.name}, seed ${seed}\n`);
      trials.push(cnfRecipeTrial(candidate, seed, steps));
    }
  }
  const report = [
    `# CNF training recipes, ${steps} steps, seeds ${seeds.join(', ')}`,
    '',
    'MLP 3→64×3→2 SELU, AdamW lr 1e-3, batch 512, moons; @pfm/backend-wasm on one thread. Mean (min–max) over seeds;',
    'NLL by the model\'s logProb (exact divergence, rk4 × 32) and exact W2, both on 2,000 held-out points.',
    '',
    ...cnfRecipeTable(trials),
    '',
  ].join('\n');
  writeOutput(outDir, 'cnf-recipes.json', `${JSON.stringify({ versions: benchVersions(), machine: benchMachine(), steps, seeds, trials }, null, 1)}\n`);
  writeOutput(outDir, 'cnf-recipes.md', report);
  process.stdout.write(`${report}\n`);
}

/** The per-kernel table of a profiled training step. */
function profileTable(backend: string, p: TrainingProfile, top = 15): string[] {
  const lines = [
    `${label(backend)}: ${fmt(p.stepMs)} ms per step while profiled (${p.steps} steps), ${fmt(p.kernelMs)} ms of it inside kernels, ` +
      `${fmt(p.stepMs - p.kernelMs)} ms in tfjs's engine, the tape and JS.`,
    '',
    '| kernel | calls per step | ms per step | share of kernel time |',
    '|---|---|---|---|',
  ];
  for (const k of p.kernels.slice(0, top)) lines.push(`| ${k.kernel} | ${fmt(k.calls)} | ${fmt(k.ms)} | ${((100 * k.ms) / p.kernelMs).toFixed(1)}% |`);
  if (p.kernels.length > top) {
    const rest = p.kernels.slice(top);
    lines.push(`| ${rest.length} others | ${fmt(rest.reduce((s, k) => s + k.calls, 0))} | ${fmt(rest.reduce((s, k) => s + k.ms, 0))} | ${((100 * rest.reduce((s, k) => s + k.ms, 0)) / p.kernelMs).toFixed(1)}% |`);
  }
  return lines;
}

try {
  const args = parseArgs(process.argv.slice(2));
  if (args === null) {
    // The case ids come from the cases themselves (their modules load tfjs and onnxruntime, so only for --help).
    const { speedCaseIds } = await import('./speed/speed-cases.js');
    process.stdout.write(speedHelp(speedCaseIds()));
    process.exit(0);
  }
  // Refused before any work when Chromium is missing.
  const chromium = args.browser ? findChromium() : undefined;
  const outDir = resolve(args.out);
  mkdirSync(outDir, { recursive: true });
  if (args.cnfProducts) {
    await runCnfProducts(args.repeats, args.trainSteps, outDir);
    process.exit(0);
  }
  if (args.cnfRecipes > 0) {
    await runCnfRecipes(args.cnfRecipes, args.cnfSeeds, args.cnfCandidates, outDir);
    process.exit(0);
  }
  const settings: SpeedSettings = {
    repeats: args.repeats,
    trainSteps: args.trainSteps,
    pairPoints: args.pairPoints,
    matmulSize: args.matmulSize,
    ...(args.cases ? { cases: args.cases } : {}),
    ...(args.profile ? { profileSteps: args.profileSteps } : {}),
  };
  const byBackend: Record<string, WorkerOutput | string> = {};
  for (const b of BACKENDS) {
    process.stderr.write(`speed: ${b}\n`);
    try {
      byBackend[b] = await runWorker(b, settings);
    } catch (error) {
      byBackend[b] = (error as Error).message;
    }
  }
  let browser: BrowserSpeedOutput | string | undefined;
  if (chromium) {
    process.stderr.write('speed: webgpu in Chromium\n');
    try {
      browser = await runBrowserSpeed(settings, chromium, (l) => process.stderr.write(`  webgpu: ${l}\n`));
    } catch (error) {
      browser = (error as Error).message;
    }
  }
  const browserGet = (id: string) => (typeof browser === 'object' ? browser.results.find((r) => r.id === id)?.median : undefined);
  const w2 = args.noW2 ? { timings: [], skipped: [] } : (process.stderr.write('speed: exact W2 scaling\n'), w2Scaling(args.w2Sizes, args.w2Budget, (n) => process.stderr.write(`  W2 ${n} vs ${n}\n`)));
  const largest = w2.timings[w2.timings.length - 1];
  const sinkhornResult = args.noSinkhorn
    ? undefined
    : (process.stderr.write('speed: sinkhorn\n'),
      sinkhornSpeed({
        sizes: args.sinkhornSizes,
        blurs: [0.05, 0.01],
        toleranceUpTo: 1024,
        python: findPython(['ot', 'numpy']),
        potIterations: args.potIterations,
        onCase: (n, blur) => process.stderr.write(`  sinkhorn ${n} vs ${n}, blur ${blur}\n`),
      }));
  process.stderr.write('speed: python reference\n');
  const ok = (b: string) => (typeof byBackend[b] === 'object' ? (byBackend[b] as WorkerOutput).results : []);
  // pfm's parameter count of each image case, so that its twin's rate is refused when its network differs.
  const imageParameters = Object.fromEntries(BACKENDS.flatMap(ok).flatMap((r) => (r.parameters !== undefined ? [[r.id, r.parameters] as const] : [])));
  const python = pythonReference({ repeats: args.repeats, trainSteps: args.trainSteps, w2n: args.noW2 ? 0 : (largest?.n ?? 1000), threads: THREADS, cases: args.cases, imageParameters });

  const cases = BACKENDS.map(ok).find((r) => r.length > 0) ?? [];
  const machine = benchMachine();
  const lines = [
    '# pfm speed suite',
    '',
    `${machine.cpuModel} × ${machine.cpuCount}, ${machine.os}, node ${process.version}; medians over ${args.repeats} repeats` +
      `${args.quick ? ' (--quick sizes)' : ''}. Ratio = @pfm/backend-wasm against the other, oriented so that > 1 means @pfm/backend-wasm is faster; ` +
      'against torch, at the same thread count.',
    '',
    `| case | unit | ${OURS.map(label).join(' | ')} | stock tfjs-backend-wasm | cpu | ${args.browser ? 'webgpu (Chromium) | ' : ''}ratio vs stock wasm | ratio vs cpu | ${THREADS.map((t) => `torch ${t} thread${t > 1 ? 's' : ''} (ratio)`).join(' | ')} |`,
    `|---|---|${OURS.map(() => '---|').join('')}---|---|${args.browser ? '---|' : ''}---|---|${THREADS.map(() => '---|').join('')}`,
  ];
  for (const c of cases) {
    const get = (b: string) => ok(b).find((r) => r.id === c.id)?.median;
    const ours = get(OURS_ALL);
    const ratio = (p: number | undefined, o: number | undefined) => (p !== undefined && o !== undefined ? `×${fmt(c.higherIsBetter ? p / o : o / p)}` : '–');
    const cell = (v: number | undefined) => (v !== undefined ? fmt(v) : '–');
    const torch = THREADS.map((t, i) => {
      const ref = python.trainStepsPerSecond[c.id]?.[t];
      return ref !== undefined ? `${fmt(ref)} (${ratio(get(OURS[i]!), ref)})` : '–';
    });
    lines.push(
      `| ${c.label} | ${c.unit} | ${OURS.map((b) => cell(get(b))).join(' | ')} | ${cell(get('stock-wasm'))} | ${cell(get('cpu'))} | ${args.browser ? `${cell(browserGet(c.id))} | ` : ''}${ratio(ours, get('stock-wasm'))} | ${ratio(ours, get('cpu'))} | ${torch.join(' | ')} |`,
    );
  }
  // Per CPU second, the comparison that holds on a shared machine: a process that waits for a core
  // loses wall time, not CPU time (python's time.process_time, node's process.cpuUsage).
  const cpuLines = cases.flatMap((c) =>
    THREADS.flatMap((t, i) => {
      const ours = ok(OURS[i]!).find((r) => r.id === c.id)?.cpuMedian;
      const torch = python.trainStepsPerCpuSecond?.[c.id]?.[t];
      if (ours === undefined) return [];
      return [`| ${c.label} | ${t} | ${fmt(ours)} | ${torch !== undefined ? `${fmt(torch)} | ×${fmt(ours / torch)}` : '– | –'} |`];
    }),
  );
  if (cpuLines.length > 0) {
    lines.push('', 'Steps per CPU second (medians; each side in its own process, at the same thread count):', '', '| case | threads | @pfm/backend-wasm | torch | ratio |', '|---|---|---|---|---|', ...cpuLines);
  }
  for (const b of BACKENDS) if (typeof byBackend[b] === 'string') lines.push('', `${b}: failed (${byBackend[b]})`);
  if (browser !== undefined) lines.push('', typeof browser === 'string' ? `webgpu (Chromium): failed (${browser})` : adapterLine(browser));
  if (!args.noW2) {
    lines.push('', 'Exact W2 (@pfm/ipm `wasserstein`, optimal assignment on the host in Float64; the same on every backend):', '', '| n vs n | seconds | W2 |', '|---|---|---|');
    for (const t of w2.timings) lines.push(`| ${t.n} | ${fmt(t.seconds)} | ${t.w2.toFixed(4)} |`);
    if (w2.skipped.length) lines.push('', `Skipped (predicted over ${args.w2Budget} s from cubic growth): ${w2.skipped.join(', ')}. Largest size that finished: ${largest?.n ?? 'none'}.`);
    if (python.w2Seconds) lines.push('', `POT ot.emd2 at ${python.w2Seconds.n} vs ${python.w2Seconds.n}: ${fmt(python.w2Seconds.seconds)} s (ours ×${fmt(python.w2Seconds.seconds / (largest?.seconds ?? NaN))}).`);
  }
  if (sinkhornResult) lines.push('', ...sinkhornTable(sinkhornResult));
  lines.push('', `Reference: ${python.note}.`, '');
  if (args.profile) {
    const models = [...new Set(BACKENDS.flatMap((b) => (typeof byBackend[b] === 'object' ? (byBackend[b].profiles ?? []).map((p) => p.model) : [])))];
    for (const model of models) {
      lines.push(`## Cost per kernel of one training step (${model.includes('batch') ? model : `${model}, batch 512, Adam`})`, '');
      lines.push(
        "tf.profile, wall-clock time around each kernel the engine runs (forward, gradient, and Adam where it runs as kernels: pfm's optimizer updates small networks in a host loop, which counts outside kernels); the kernels compute synchronously, the pool threads inside them.",
        '',
      );
      for (const b of BACKENDS) {
        const out = byBackend[b];
        const profile = typeof out === 'object' ? out.profiles?.find((p) => p.model === model) : undefined;
        if (profile) lines.push(...profileTable(b, profile), '');
      }
    }
  }
  const report = lines.join('\n');
  const json = { versions: benchVersions(), machine, settings: { ...settings, w2Sizes: args.w2Sizes, w2Budget: args.w2Budget, threads: THREADS }, backends: byBackend, ...(browser !== undefined ? { browser } : {}), w2, python, ...(sinkhornResult ? { sinkhorn: sinkhornResult } : {}) };
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
