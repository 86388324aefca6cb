// Smoke test of `--suite guidance --quick`: every method trained for a few steps on labelled
// 8gaussians, the flows sampled at two guidance scales; the records, the report and the resume are
// checked, not the numbers' quality (which the conditional tests of each family check).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRegistry } from '../registry/bench-registry.js';
import { parseGuidanceArgs } from './guidance-args.js';
import { guidanceMarkdown, runGuidance } from './run-guidance.js';

const out = mkdtempSync(join(tmpdir(), 'pfm-guidance-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench --suite guidance --quick', () => {
  const args = parseGuidanceArgs(['--quick', '--guidance', '0,2', '--out', out])!;

  it('reads its flags, naming a bad one', () => {
    expect(args).toMatchObject({ seeds: [0], steps: 12, trainSize: 512, samples: 400, guidance: [0, 2] });
    expect(() => parseGuidanceArgs(['--methods', 'flow-matching,gan'])).toThrow(/--methods: unknown "gan"; expected one of flow-matching, ot-flow-matching, realnvp, nsf, energy/);
    expect(() => parseGuidanceArgs(['--guidance', '1,-2'])).toThrow('--guidance must be numbers ≥ 0, got "-2"');
  });

  it('trains every method on the labelled modes, samples the flows at each w, and writes guidance.json and guidance.md; a second run resumes', async () => {
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const records = await runGuidance(args, benchRegistry(), (line) => lines.push(line));
    expect(records.map((r) => `${r.method}/${r.guidance}/${r.status}`)).toEqual([
      'flow-matching/0/ok',
      'flow-matching/2/ok',
      'ot-flow-matching/0/ok',
      'ot-flow-matching/2/ok',
      'realnvp/null/ok',
      'nsf/null/ok',
      'energy/null/ok',
    ]);
    for (const r of records) {
      expect(r.ownMode).toBeGreaterThanOrEqual(0);
      expect(r.ownMode).toBeLessThanOrEqual(1);
      expect(r.classEnergy).toBeGreaterThan(0);
    }
    expect(lines).toHaveLength(7);
    const md = readFileSync(join(out, 'guidance.md'), 'utf8');
    expect(md).toContain('| flow-matching | 2 | 1 |');
    expect(md).toContain('| energy | — | 1 |');
    expect(tf.memory().numTensors).toBe(before);
    // Everything is recorded: nothing is trained again.
    const again: string[] = [];
    await runGuidance(args, benchRegistry(), (line) => again.push(line));
    expect(again).toEqual([]);
  });

  it('the report gives mean ± standard deviation over seeds and counts failures', () => {
    const md = guidanceMarkdown(
      [
        { method: 'realnvp', seed: 0, guidance: null, status: 'ok', ownMode: 0.9, classEnergy: 0.02, trainSeconds: 1 },
        { method: 'realnvp', seed: 1, guidance: null, status: 'ok', ownMode: 1, classEnergy: 0.04, trainSeconds: 1 },
        { method: 'realnvp', seed: 2, guidance: null, status: 'failed', error: 'diverged' },
      ],
      { steps: 10, trainSize: 100, samples: 80 },
    );
    expect(md).toContain('| realnvp | — | 2 | 95.0 ± 7.1 | 0.0300 ± 0.0141 | 1 |');
  });
});
