// The spectral check: a closed-form case of the particle flow, and a smoke run of `--suite spectral --quick`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { parseSpectralArgs } from './spectral-args.js';
import { runSpectral } from './run-spectral.js';
import { spectralCheck } from './spectral-check.js';

const out = mkdtempSync(join(tmpdir(), 'pfm-spectral-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('spectral check', () => {
  it('degree 1, τ = 1: the particle flow moves every point by −mean, so the mean decays as e^{−t} like the OU flow', () => {
    // With H_{e_k}(x) = x_k only, the velocity is −Σ_k m_k e_k = −x̄ for every particle: x̄(t) = (1 − dt)^{t/dt} x̄(0),
    // within 1e-3 relative of e^{−t} at dt = 0.002, t ≤ 1; the OU moments are exactly e^{−t} x̄(0).
    const rng = createRng(4);
    const initial = Float32Array.from(rng.normalArray(400), (v, i) => v + (i % 2 === 0 ? 0.8 : -0.4));
    const independent = Float32Array.from(rng.fold(1).normalArray(400), (v, i) => v + (i % 2 === 0 ? 0.8 : -0.4));
    const before = tf.memory().numTensors;
    const rows = spectralCheck({ initial, independent, degree: 1, times: [0, 0.25, 0.5], dt: 0.005, weightings: ['uniform', 'eigenvalue'], seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const mean = [0, 1].map((k) => initial.filter((_, i) => i % 2 === k).reduce((s, v) => s + v, 0) / 200);
    for (const row of rows) {
      const exact = row.exactDegreeNorms[0]!;
      expect(Math.abs(exact - Math.hypot(mean[0]!, mean[1]!) * Math.exp(-row.t))).toBeLessThan(1e-5);
      // Euler: (1 − dt)^{t/dt} = e^{−t(1 + dt/2 + …)}, 1.3e-3 relative at t = 0.5; float32 adds ~1e-6.
      // For degree 1, τ = λ = 1: both weightings are the same flow.
      for (const w of ['uniform', 'eigenvalue']) expect(row.flows[w]!.momentError[0]!).toBeLessThan(2e-3 * exact + 1e-5);
    }
    // A wrong sign or a missing factor n in the step would leave the mean where it was.
    expect(rows[2]!.flows.uniform!.degreeNorms[0]!).toBeLessThan(0.65 * rows[0]!.flows.uniform!.degreeNorms[0]!);
  });

  it('runs --quick end to end and writes spectral.json and spectral.md', () => {
    const args = parseSpectralArgs(['--quick', '--out', out])!;
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const results = runSpectral(args, (line) => lines.push(line));
    expect(tf.memory().numTensors).toBe(before);
    expect(results.map((r) => r.target)).toEqual(['moons']);
    expect(results[0]!.rows.map((r) => r.t)).toEqual([0, 0.1, 0.2]);
    const first = results[0]!.rows[0]!;
    // At t = 0 every cloud is X₀: the distances are exactly 0 and the seed noise is positive.
    for (const f of Object.values(first.flows)) expect(f.energyToOu).toBeLessThan(1e-9);
    expect(first.seedNoise).toBeGreaterThan(0);
    expect(lines).toHaveLength(3);
    const file = JSON.parse(readFileSync(join(out, 'spectral.json'), 'utf8')) as { format: string; results: unknown[] };
    expect(file.format).toBe('pfm-bench-spectral');
    expect(readFileSync(join(out, 'spectral.md'), 'utf8')).toContain('| 0.2 |');
  });

  it('rejects bad flags naming them', () => {
    expect(() => parseSpectralArgs(['--targets', 'grid'])).toThrow(/--targets: unknown "grid"; expected one of moons, ring/);
    expect(() => parseSpectralArgs(['--times', '0,1,0.5'])).toThrow(/--times must increase, got 0,1,0.5/);
    expect(() => parseSpectralArgs(['--degree', '12'])).toThrow(/--degree must be an integer in \[1, 8\]/);
  });
});
