// `pnpm bench --jobs N`: the runs in child processes give the same records as one process, a
// child that dies mid-run costs that run only, and the number of jobs follows the flags.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../cli/bench-args.js';
import { benchRegistry } from '../registry/bench-registry.js';
import { resultsFileSchema, type RunRecord } from '../results/results-schema.js';
import { matrixJobs, runMatrix } from './run-matrix.js';

const dir = mkdtempSync(join(tmpdir(), 'pfm-bench-jobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

function records(out: string): RunRecord[] {
  return resultsFileSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).records;
}

describe('bench --jobs', () => {
  it('chooses one job by default, one per core under --quick or with auto, never more than the runs', () => {
    const args = (argv: string[]) => parseBenchArgs(argv)!;
    expect(matrixJobs(args([]), 50, 8)).toBe(1);
    expect(matrixJobs(args(['--quick']), 50, 2)).toBe(2);
    expect(matrixJobs(args(['--quick', '--jobs', '1']), 50, 2)).toBe(1);
    expect(matrixJobs(args(['--jobs', 'auto']), 50, 4)).toBe(4);
    expect(matrixJobs(args(['--jobs', '3']), 2, 8)).toBe(2);
    expect(() => parseBenchArgs(['--jobs', '0'])).toThrow(/--jobs must be a positive integer, got "0"/);
  });

  it('gives the records of one process, in the matrix order', () => {
    const flags = ['--quick', '--methods', 'energy,gan', '--datasets', 'moons', '--steps', '10', '--samples', '64', '--threads', '1'];
    const one = join(dir, 'one');
    const two = join(dir, 'two');
    for (const [out, jobs] of [[one, '1'], [two, '2']] as const) {
      const run = spawnSync(process.execPath, [main, ...flags, '--jobs', jobs, '--out', out], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      if (jobs === '2') expect(run.stderr).toContain('--jobs: 2 runs at once, each in its own process (wasm, 1 thread each)');
    }
    const a = records(one);
    const b = records(two);
    expect(b.map((r) => r.name)).toEqual(a.map((r) => r.name));
    expect(b.map((r) => r.status)).toEqual(['ok', 'ok']);
    for (const [i, r] of b.entries()) {
      expect(r.hash).toBe(a[i]!.hash);
      expect(r.metrics!.w2).toBe(a[i]!.metrics!.w2);
      expect(r.metrics!.energy).toBe(a[i]!.metrics!.energy);
      expect(r.preview).toEqual(a[i]!.preview);
      expect(r.leakedTensors).toBe(0);
    }
  });

  it('records a run whose process died as failed, and goes on with a new process', async () => {
    // A stand-in child: dies when given the matrix's first run, answers every other with an error.
    const fake = join(dir, 'fake-worker.mjs');
    writeFileSync(
      fake,
      `process.on('message', (m) => {
  if (m.task.id === 0) process.exit(3);
  process.send({ type: 'result', id: m.task.id, result: { ok: false, message: 'stand-in', cpuSeconds: 0, leakedTensors: 0 } });
});
process.on('disconnect', () => process.exit(0));
`,
    );
    const out = join(dir, 'crash');
    const args = parseBenchArgs(['--methods', 'energy,gan,mmd', '--datasets', 'moons', '--seeds', '0', '--steps', '5', '--samples', '64', '--jobs', '1', '--out', out])!;
    args.jobs = 2;
    const before = tf.memory().numTensors;
    await runMatrix(args, benchRegistry(), 'wasm', { workerUrl: pathToFileURL(fake) });
    expect(tf.memory().numTensors).toBe(before);
    const rs = records(out);
    expect(rs).toHaveLength(3);
    const died = rs.filter((r) => r.error?.includes('the worker process exited (code 3'));
    expect(died.map((r) => r.name)).toEqual(['energy']);
    expect(rs.filter((r) => r.error === 'stand-in').map((r) => r.name)).toEqual(['gan', 'mmd']);
    expect(rs.every((r) => r.status === 'failed')).toBe(true);
  });
});
