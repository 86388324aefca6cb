// The short version of scripts/soak.mjs (100,000 steps, run by hand): a thousand training steps
// with a checkpoint every hundred must hold tf.memory().numTensors exactly constant and the
// resident memory flat.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SOAK = fileURLToPath(new URL('../../scripts/soak.mjs', import.meta.url));

describe('training soak (short)', () => {
  it('1,000 steps: numTensors constant after the first 100 and back to 0 after disposal; RSS grows under 16 MiB', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', SOAK, '--steps', '1000', '--every', '100', '--checkpoint-every', '100', '--backend', 'cpu', '--json'],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const report = JSON.parse(stdout) as {
      steps: number;
      gcExposed: boolean;
      checkpointBytes: number;
      summary: Record<string, number>;
      samples: { step: number; numTensors: number; rssMiB: number }[];
    };
    expect(report.steps).toBe(1000);
    expect(report.gcExposed).toBe(true);
    expect(report.checkpointBytes).toBeGreaterThan(0);
    expect(report.samples.map((s) => s.step)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    const steady = report.samples.filter((s) => s.step >= 100).map((s) => s.numTensors);
    expect(new Set(steady).size, `numTensors over steps: ${steady.join(', ')}`).toBe(1);
    expect(report.summary.numTensorsAfterDispose).toBe(0);
    // Measured growth is about 1 MiB over 2,000 steps; 16 MiB leaves room for allocator and GC noise
    // while a leak of one 64×2 minibatch per step (0.5 KiB, 0.5 MiB per 1,000 steps) of tensors would
    // already fail the numTensors check above.
    expect(report.summary.rssGrowthMiB, JSON.stringify(report.samples)).toBeLessThan(16);
  });
});
