// Signals stop the scoring commands too: pfm logprob and pfm eval run in a worker thread like
// train and sample, so SIGTERM or Ctrl-C ends them within a moment, mid-computation, with no
// output file, no temporary and nothing printed on stdout.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startPfm, type PfmResult } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

/** `rows` points of dimension 2, deterministic. */
function writePoints(path: string, rows: number, phase: number): void {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(`${Math.sin(i + phase).toFixed(4)},${Math.cos(1.7 * i + phase).toFixed(4)}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Starts `pfm ...args`, sends `signal` once stderr matches `started` and `afterMs` more have passed; the result and the time to exit. */
async function stopWhile(args: string[], started: RegExp | undefined, afterMs: number, signal: NodeJS.Signals): Promise<{ result: PfmResult; exitMs: number }> {
  const run = startPfm(args);
  if (started) await run.waitForStderr(started);
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const sent = performance.now();
  run.child.kill(signal);
  const result = await run.done;
  return { result, exitMs: performance.now() - sent };
}

describe('signals stop pfm logprob and pfm eval within a moment', () => {
  it('SIGTERM during pfm logprob of 1,500,000 points: exit 143, no output file and no temporary', async () => {
    const dir = scratchDir();
    // Enough work that the signal, 3 s after the start, always lands mid-run: 400,000 points once
    // finished in under 3 s on an idle machine (reading about 1 s, the log-densities 1.1 s), so the
    // signal found no process; 1,500,000 take about 9 s there.
    writePoints(join(dir, 'points.csv'), 1_500_000, 0);
    const out = join(dir, 'logprob.csv');
    const { result, exitMs } = await stopWhile(['logprob', '--model', fx.model, '--data', join(dir, 'points.csv'), '--backend', 'cpu', '--out', out], undefined, 3000, 'SIGTERM');
    expect(result.code, result.stderr).toBe(143);
    expect(exitMs).toBeLessThan(2000);
    expect(result.stderr).toMatch(/^SIGTERM: stopped/m);
    expect(result.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['points.csv']);
  });

  it('Ctrl-C (SIGINT) during pfm eval of 60,000 against 60,000 points: exit 130, nothing on stdout', async () => {
    const dir = scratchDir();
    writePoints(join(dir, 'a.csv'), 60_000, 0);
    writePoints(join(dir, 'b.csv'), 60_000, 0.5);
    // The energy distance compares every pair: 3.6·10⁹ distances, about 20 s on an idle machine
    // (20,000 against 20,000 took 2.8 s in all, under the 3 s wait).
    const { result, exitMs } = await stopWhile(['eval', '--metric', 'energy', '--a', join(dir, 'a.csv'), '--b', join(dir, 'b.csv'), '--backend', 'cpu', '--json'], undefined, 3000, 'SIGINT');
    expect(result.code, result.stderr).toBe(130);
    expect(exitMs).toBeLessThan(2000);
    expect(result.stderr).toMatch(/^SIGINT: stopped/m);
    expect(result.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv']);
  });
});
