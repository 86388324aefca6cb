// The soak through the command line: the same recipe and data given to `pfm train` (the built CLI
// of this repository) in a child process, whose resident memory is read from /proc/<pid>/status
// every `intervalMs`. The CLI trains in a worker thread of that process, so its RSS covers both
// threads. A sample's step is interpolated between the progress lines the child prints on stderr
// (one per tenth of the run on a pipe); numTensors cannot be seen from outside and is left null.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDataFile } from '@pfm/core/node';
import { appRoot } from '../app-root.js';
import type { SoakArgs } from './soak-args.js';
import { soakImages } from './soak-images.js';
import { soakRecipe, type SoakRun } from './run-soak.js';
import { soakVerdict, type SoakSample } from './soak-verdict.js';

/** The CLI's entry point in this repository. */
export function pfmBin(): string {
  return resolve(appRoot(), '../../packages/cli/dist/bin.js');
}

/** Resident set size of process `pid` in bytes (VmRSS of /proc/<pid>/status), or null once it is gone. */
export function processRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The step at `seconds`, linearly interpolated between (seconds, step) marks (0 before the first). */
export function stepAt(marks: readonly (readonly [number, number])[], seconds: number): number {
  let before: readonly [number, number] = [0, 0];
  for (const mark of marks) {
    if (mark[0] >= seconds) {
      const span = mark[0] - before[0];
      return span > 0 ? Math.round(before[1] + ((mark[1] - before[1]) * (seconds - before[0])) / span) : mark[1];
    }
    before = mark;
  }
  return before[1];
}

/**
 * Runs `pfm train` on the soak's data and recipe with `--checkpoint-every`, sampling its RSS every
 * `intervalMs`; rejects when /proc is missing, when the CLI is not built or when it exits non-zero.
 */
export async function runCliSoak(args: SoakArgs, log: (line: string) => void, intervalMs = 1000): Promise<SoakRun> {
  const bin = pfmBin();
  if (!existsSync(bin)) throw new Error(`soak --path cli: ${bin} does not exist; build the CLI first (turbo run build --filter=@pfm/cli...)`);
  if (!existsSync('/proc/self/status')) throw new Error('soak --path cli: /proc/self/status does not exist; the CLI soak reads the child\'s RSS from /proc (Linux)');
  const images = soakImages(args.side);
  const data = join(args.out, 'soak-images.npy');
  await writeDataFile(data, { rows: images.rows, cols: args.side * args.side, values: images.values, shape: [args.side, args.side, 1] });
  const config = join(args.out, 'soak-recipe.json');
  writeFileSync(config, `${JSON.stringify(soakRecipe(args), null, 2)}\n`);
  const model = join(args.out, 'soak-cli-model.json');
  const argv = ['train', '--data', data, '--config', config, '--backend', 'wasm', '--threads', String(args.threads), '--checkpoint-every', String(args.checkpointEvery), '--out', model];
  log(`pfm ${argv.join(' ')}`);
  const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const marks: [number, number][] = [];
  const raw: { seconds: number; rss: number }[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    for (const m of chunk.matchAll(/^step\s+(\d+)\/\d+ /gm)) {
      marks.push([seconds(), Number(m[1])]);
      log(`cli: step ${m[1]}/${args.steps}, rss ${((raw[raw.length - 1]?.rss ?? 0) / 2 ** 20).toFixed(1)} MiB, ${seconds().toFixed(0)} s`);
    }
  });
  const timer = setInterval(() => {
    const rss = child.pid === undefined ? null : processRss(child.pid);
    if (rss !== null) raw.push({ seconds: seconds(), rss });
  }, intervalMs);
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (c) => done(c));
  }).finally(() => clearInterval(timer));
  const total = seconds();
  if (code !== 0) throw new Error(`soak --path cli: pfm train exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  // Samples before the first progress mark belong to start-up (reading data, building the model).
  const samples: SoakSample[] = raw.filter((r) => marks.length > 0 && r.seconds <= marks[marks.length - 1]![0]).map((r) => ({ step: stepAt(marks, r.seconds), numTensors: null, rss: r.rss, wasmHeap: null, seconds: r.seconds }));
  const verdict = soakVerdict(samples, args.steps, args.maxRssGrowthMiB);
  const checkpoints = Math.floor((args.steps - 1) / args.checkpointEvery);
  return { path: 'cli', steps: args.steps, seconds: total, stepsPerSecond: args.steps / total, checkpointBytes: 0, checkpoints, numTensorsBefore: null, numTensorsAfter: null, samples, verdict };
}
