// Smoke test of `--suite curriculum --quick`: every objective plain and with the curriculum, and the
// two reference lines, on the 5×5 grid for a few steps, then the GAN and the energy generator on a
// few MNIST digits; the records, the report and the resume are checked.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRegistry } from '../registry/bench-registry.js';
import { parseCurriculumArgs } from './curriculum-args.js';
import { curriculumSchedule } from './curriculum-recipes.js';
import { runCurriculum } from './run-curriculum.js';
import { useTinyMnistSplit } from '../mnist/tiny-mnist-split.js';

const out = mkdtempSync(join(tmpdir(), 'pfm-curriculum-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const digits = useTinyMnistSplit('pfm-curriculum-mnist-', 64, 32);

describe('bench --suite curriculum --quick', () => {
  const args = parseCurriculumArgs(['--quick', '--out', out])!;

  it('the curriculum schedule spends ⌈T/20⌉ identity steps, then 4 levels summing to the rest', () => {
    expect(curriculumSchedule(2000)).toEqual({ levels: 4, stepsPerLevel: [316, 316, 316, 952], init: 'identity', identitySteps: 100 });
    expect(curriculumSchedule(24).stepsPerLevel.reduce((a, b) => a + b, 0) + curriculumSchedule(24).identitySteps).toBe(24);
    expect(curriculumSchedule(2000, 'short')).toEqual({ levels: 4, stepsPerLevel: [95, 95, 95, 1615], init: 'identity', identitySteps: 100 });
    expect(() => curriculumSchedule(21, 'short')).toThrow(/--steps 21: the short curriculum needs at least 22 steps/);
    expect(() => parseCurriculumArgs(['--objectives', 'gan,vae'])).toThrow(/--objectives: unknown "vae"; expected one of gan, wgan-gp, wgan-gp-one-sided, energy, mmd/);
    expect(() => parseCurriculumArgs(['--budget', 'wall'])).toThrow(/--budget: unknown "wall"; expected one of steps, time, both/);
    expect(() => parseCurriculumArgs(['--schedules', 'even,late'])).toThrow(/--schedules: unknown "late"; expected one of even, short/);
    expect(() => parseCurriculumArgs(['--budget', 'time', '--schedules', 'short'])).toThrow(/--budget time: the equal-time plain run matches the even curriculum run, but --schedules is short; add even/);
    expect(parseCurriculumArgs(['--budget', 'both', '--schedules', 'short,even,short'])).toMatchObject({ budget: 'both', schedules: ['short', 'even'] });
  });

  it('trains every objective plain and with the curriculum and the references, then GAN and energy on MNIST, and writes curriculum.json and curriculum.md', async () => {
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const records = await runCurriculum(args, benchRegistry(), (line) => lines.push(line), digits.split());
    expect(records.map((r) => `${r.method}/${r.variant}/${r.status}`)).toEqual([
      'gan/plain/ok',
      'gan/curriculum/ok',
      'wgan-gp/plain/ok',
      'wgan-gp/curriculum/ok',
      'wgan-gp-one-sided/plain/ok',
      'wgan-gp-one-sided/curriculum/ok',
      'energy/plain/ok',
      'energy/curriculum/ok',
      'mmd/plain/ok',
      'mmd/curriculum/ok',
      'flow-100/reference/ok',
      'distill/reference/ok',
      'gan/plain/ok',
      'gan/curriculum/ok',
      'energy/plain/ok',
      'energy/curriculum/ok',
    ]);
    const grid = records.filter((r) => r.target === 'grid');
    const mnist = records.filter((r) => r.target === 'mnist');
    expect([grid.length, mnist.length]).toEqual([12, 4]);
    for (const r of grid) {
      expect(r.metrics!.modes).toBe(25);
      expect(r.metrics!.covered).toBeGreaterThanOrEqual(0);
      expect(r.metrics!.covered).toBeLessThanOrEqual(r.metrics!.reached!);
      expect(r.metrics!.reached).toBeLessThanOrEqual(25);
      expect(Number.isFinite(r.metrics!.energy)).toBe(true);
    }
    // MNIST: digits covered and the fraction classified confidently by the LeNet, FLD, the digits' counts of the 100 samples.
    for (const r of mnist) {
      const m = r.metrics!;
      expect([m.modes, m.reached, m.energy, m.steps, m.nonFinite]).toEqual([10, null, null, 8, 0]);
      expect(m.covered).toBe(m.digits!.filter((c) => c >= 2).length);
      expect(m.digits!.reduce((a, b) => a + b, 0)).toBe(100);
      expect(m.highQuality).toBeGreaterThanOrEqual(0);
      expect(m.highQuality).toBeLessThanOrEqual(1);
      expect(m.fld).toBeGreaterThan(0);
      expect(Number.isFinite(m.fld)).toBe(true);
      expect(m.cpuSeconds).toBeGreaterThan(0);
    }
    expect(lines).toHaveLength(16);
    expect(lines[12]).toMatch(/^mnist gan plain seed 0: 8 steps, digits \d+\/10, confident [\d.]+, FLD [\d.]+/);
    const file = JSON.parse(readFileSync(join(out, 'curriculum.json'), 'utf8')) as { format: string; records: unknown[] };
    expect(file.format).toBe('pfm-bench-curriculum');
    expect(file.records).toHaveLength(16);
    const md = readFileSync(join(out, 'curriculum.md'), 'utf8');
    expect(md).toContain('## grid');
    expect(md).toContain('## mnist');
    expect(md).toMatch(/\| energy \| curriculum \| 1 \| [01]\/1 \| [\d.]+ ± 0\.0 \/ 10 \| [\d.]+ ± 0\.000 \| [\d.]+ ± 0\.00 \| 8 ± 0 \|/);
    expect(md).toContain('| method | compared at | digits covered | confident | FLD | failures plain → curriculum |');
    expect(md).toMatch(/\| gan \| curriculum \| 1 \| [01]\/1 \| [\d.]+ ± 0\.0 \/ 25 \| [\d.]+ ± 0\.0 \/ 25 \|/);
    expect(md).toContain('Curriculum vs plain');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains on the checkerboard and measures black squares covered and the fraction of samples on them', async () => {
    const board = parseCurriculumArgs(['--quick', '--targets', 'checkerboard', '--objectives', 'gan', '--no-references', '--out', join(out, 'board')])!;
    const before = tf.memory().numTensors;
    const records = await runCurriculum(board, benchRegistry(), () => {});
    expect(records.map((r) => `${r.target}/${r.method}/${r.variant}/${r.status}`)).toEqual(['checkerboard/gan/plain/ok', 'checkerboard/gan/curriculum/ok']);
    for (const r of records) {
      expect(r.metrics!.modes).toBe(8);
      expect(r.metrics!.covered).toBeLessThanOrEqual(r.metrics!.reached!);
      expect(r.metrics!.highQuality).toBeGreaterThanOrEqual(0);
      expect(r.metrics!.highQuality).toBeLessThanOrEqual(1);
    }
    const md = readFileSync(join(out, 'board', 'curriculum.md'), 'utf8');
    expect(md).toContain('## checkerboard');
    expect(md).toMatch(/\| gan \| plain \| 1 \| [01]\/1 \| [\d.]+ ± 0\.0 \/ 8 \|/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('--budget both adds a plain run for the CPU time of the curriculum run, and --schedules short a curriculum with short noisy levels', async () => {
    const timed = parseCurriculumArgs(['--quick', '--targets', 'grid', '--objectives', 'gan', '--budget', 'both', '--schedules', 'even,short', '--no-references', '--out', join(out, 'time')])!;
    const before = tf.memory().numTensors;
    const records = await runCurriculum(timed, benchRegistry(), () => {});
    expect(records.map((r) => `${r.method}/${r.variant}/${r.status}`)).toEqual(['gan/plain/ok', 'gan/curriculum/ok', 'gan/curriculum-short/ok', 'gan/plain-time/ok']);
    const [plain, curriculum, , plainTime] = records.map((r) => r.metrics!);
    expect([plain!.steps, curriculum!.steps]).toEqual([24, 24]);
    // The equal-time run stops after the step at which it has used the curriculum run's CPU time.
    expect(plainTime!.cpuSeconds).toBeGreaterThanOrEqual(curriculum!.cpuSeconds!);
    expect(plainTime!.steps).toBeGreaterThan(0);
    expect(plainTime!.steps).toBeLessThan(20 * 24);
    const md = readFileSync(join(out, 'time', 'curriculum.md'), 'utf8');
    expect(md).toMatch(/\| gan \| plain-time \| 1 \| [01]\/1 \| .* \| \d+ ± 0 \| [\d.]+ ± 0\.0 \| [\d.]+ ± 0\.0 \|/);
    for (const compared of ['equal steps', 'equal CPU time', 'short schedule, equal steps']) expect(md).toContain(`| gan | ${compared} |`);
    // --variants splits a suite over processes: alone, the equal-time run has no curriculum run to match.
    const alone = parseCurriculumArgs(['--quick', '--targets', 'grid', '--objectives', 'gan', '--budget', 'time', '--variants', 'plain-time', '--no-references', '--out', join(out, 'alone')])!;
    const split = await runCurriculum(alone, benchRegistry(), () => {});
    expect(split.map((r) => `${r.method}/${r.variant}/${r.status}`)).toEqual(['gan/plain-time/failed']);
    expect(split[0]!.error).toBe('no CPU time to match: the curriculum run is missing');
    expect(() => parseCurriculumArgs(['--variants', 'plain,reference'])).toThrow(/--variants: unknown "reference"; expected one of plain, curriculum, curriculum-short, plain-time/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a second invocation skips the finished runs', async () => {
    const lines: string[] = [];
    const records = await runCurriculum(args, benchRegistry(), (line) => lines.push(line), digits.split());
    expect(records).toHaveLength(16);
    expect(lines).toHaveLength(0);
  });
});
