// `pnpm bench --suite spectral`: for every target, standardised particles moved by the exact OU flow
// in law and by the particle gradient flows of D₂ over the Hermite family → spectral.json, spectral.md
// (written to a temporary file, then renamed).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@pfm/core';
import { sampleCurriculumTarget } from '../curriculum/curriculum-targets.js';
import type { SpectralArgs, SpectralTarget } from './spectral-args.js';
import { spectralCheck } from './spectral-check.js';
import { spectralMarkdown, type SpectralResult } from './spectral-markdown.js';
import { writeAtomic } from '../report/write-atomic.js';

/** `[n, 2]` rows standardised to mean 0 and unit variance per coordinate (in place). */
export function standardise(x: Float32Array): Float32Array {
  const n = x.length / 2;
  for (let k = 0; k < 2; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[2 * i + k]!;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (x[2 * i + k]! - mean) ** 2;
    const std = Math.sqrt(variance / n);
    for (let i = 0; i < n; i++) x[2 * i + k] = (x[2 * i + k]! - mean) / std;
  }
  return x;
}

/** Runs the suite; `log` gets one line per measurement. */
export function runSpectral(args: SpectralArgs, log: (line: string) => void): SpectralResult[] {
  mkdirSync(args.out, { recursive: true });
  const results: SpectralResult[] = [];
  for (const target of args.targets) {
    const rng = createRng(args.seed).fold(1 + args.targets.indexOf(target as SpectralTarget));
    const initial = standardise(sampleCurriculumTarget(target, args.particles, rng.fold(1)));
    const independent = standardise(sampleCurriculumTarget(target, args.particles, rng.fold(2)));
    const rows = spectralCheck(
      { initial, independent, degree: args.degree, times: args.times, dt: args.dt, weightings: args.weightings, seed: args.seed },
      (line) => log(`${target}: ${line}`),
    );
    results.push({ target, particles: args.particles, degree: args.degree, dt: args.dt, rows });
    const { out: _out, ...kept } = args;
    writeAtomic(join(args.out, 'spectral.json'), `${JSON.stringify({ format: 'pfm-bench-spectral', version: 1, args: kept, results }, null, 1)}\n`);
    writeAtomic(join(args.out, 'spectral.md'), spectralMarkdown(results));
  }
  return results;
}
