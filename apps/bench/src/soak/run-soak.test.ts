// The soak's short version: the same code path as the 10⁵-step benchmark, on the cpu backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@pfm/core';
import { cpu } from '@pfm/backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchRegistry } from '../registry/bench-registry.js';
import { parseSoakArgs } from './soak-args.js';
import { runSoak } from './run-soak.js';

let out = '';
beforeAll(async () => {
  await useBackend(cpu());
  out = mkdtempSync(join(tmpdir(), 'pfm-soak-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('runSoak', () => {
  it('60 steps with EMA and checkpoints: numTensors constant, nothing left after disposal', async () => {
    const before = tf.memory().numTensors;
    const args = parseSoakArgs(['--quick', '--steps', '60', '--sample-every', '10', '--checkpoint-every', '20', '--side', '4', '--channels', '4,2', '--out', out])!;
    const run = await runSoak(args, benchRegistry(), () => undefined);
    expect(run.steps).toBe(60);
    expect(run.samples.map((s) => s.step)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(run.checkpoints).toBe(2);
    expect(run.checkpointBytes).toBeGreaterThan(0);
    expect(run.verdict.numTensorsRange![0]).toBe(run.verdict.numTensorsRange![1]);
    expect(run.verdict.ok, run.verdict.failures.join('; ')).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('refuses bad flags naming them', () => {
    expect(() => parseSoakArgs(['--side', '5'])).toThrow('--side must be one of 4, 6, 8, 12, 24, got "5"');
    expect(() => parseSoakArgs(['--channels', '8'])).toThrow('--channels needs at least 2 layers');
    expect(() => parseSoakArgs(['--path', 'elsewhere'])).toThrow('--path: unknown "elsewhere"');
  });
});
