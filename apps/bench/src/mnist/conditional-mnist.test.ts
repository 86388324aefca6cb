// Smoke test of the class-conditional case with tiny budgets: 64 labelled training digits and 16
// test digits, two steps, 20 samples, guidance 0 and 2. The records, the NFE of guidance, the
// report section, the grids and the reloaded teacher are checked, not the numbers' quality.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { parseRecipe } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { benchRegistry } from '../registry/bench-registry.js';
import { conditionalDistillRecipe, conditionalTeacherRecipe, MNIST_CONDITIONAL_FIELD, type ConditionalRecord } from './conditional-mnist.js';
import { MNIST_CONDITIONAL, MNIST_QUICK, parseMnistArgs } from './mnist-args.js';
import { useTinyMnistSplit } from './tiny-mnist-split.js';
import { runMnist } from './run-mnist.js';

const { out, split } = useTinyMnistSplit('pfm-mnist-conditional-');

describe('bench --suite mnist --conditional', () => {
  const args = parseMnistArgs(['--conditional', '--guidance', '0,2', '--distill-guidance', '0,2', '--steps', '2', '--distill-steps', '2', '--batch-size', '8', '--samples', '20', '--train-size', '64', '--pfm-only', '--out', out])!;
  args.flowSamplerSteps = 2;
  args.distillPairs = 8;
  args.distillTeacherSteps = 1;

  it('trains the guided teacher, distils it at each w, measures class accuracy and FLD; writes conditional.json, a section of mnist.md and grids', async () => {
    const lines: string[] = [];
    const inside = tf.memory().numTensors;
    await runMnist(args, benchRegistry(), (line) => lines.push(line), split());
    expect(tf.memory().numTensors).toBe(inside);
    const { records } = JSON.parse(readFileSync(join(out, 'conditional.json'), 'utf8')) as { records: ConditionalRecord[] };
    expect(records.map((r) => [r.model, r.guidance, r.status, r.error])).toEqual([
      ['flow', 0, 'ok', undefined],
      ['flow', 2, 'ok', undefined],
      ['distill', 0, 'ok', undefined],
      ['distill', 2, 'ok', undefined],
    ]);
    for (const r of records) {
      expect(r.classAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.classAccuracy).toBeLessThanOrEqual(1);
      expect(r.perClass).toHaveLength(10);
      expect(r.fld).toBeGreaterThan(0);
      expect(r.steps).toBe(2);
    }
    // Two Euler steps; guidance 2 evaluates the conditional and the null field at each.
    expect(records.map((r) => r.nfe)).toEqual([2, 4, 1, 1]);
    const md = readFileSync(join(out, 'mnist.md'), 'utf8');
    expect(md).toContain('## Class-conditional: guidance against class accuracy and FLD');
    expect(md).toMatch(/\| distill \| 0 \| 2 \| \d+\.\d% \| \d+\.\d\d \| 1 \|/);
    for (const name of ['conditional-flow-w2-seed0.png', 'conditional-distill-w0-seed0.png']) {
      expect([...readFileSync(join(out, name)).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    }
    const teacher = JSON.parse(readFileSync(join(out, 'models', 'conditional-flow-matching-seed0.json'), 'utf8')) as { condition: unknown; options: { conditionDropout: number } };
    expect(teacher.condition).toEqual({ kind: 'class', classes: 10 });
    expect(teacher.options.conditionDropout).toBe(0.1);
    expect(lines).toHaveLength(4);
  });

  it('a second invocation reloads the teacher from models/ and measures it the same', async () => {
    const first = (JSON.parse(readFileSync(join(out, 'conditional.json'), 'utf8')) as { records: ConditionalRecord[] }).records;
    await runMnist(args, benchRegistry(), () => {}, split());
    const again = (JSON.parse(readFileSync(join(out, 'conditional.json'), 'utf8')) as { records: ConditionalRecord[] }).records;
    expect(again.filter((r) => r.model === 'flow').map((r) => r.fld)).toEqual(first.filter((r) => r.model === 'flow').map((r) => r.fld));
  });

  it('the recipes are valid as they are; the distillation names its guidance and its student', () => {
    expect(() => parseRecipe(conditionalTeacherRecipe(args, 0), benchRegistry())).not.toThrow();
    const recipe = conditionalDistillRecipe(args, 0, 4);
    expect(recipe.options).toMatchObject({ teacherGuidance: 4, student: 'teacher-step', mode: 'direct' });
    expect(() => parseRecipe(recipe, benchRegistry())).not.toThrow();
  });

  it('--guidance and --distill-guidance take scales ≥ 0', () => {
    expect(parseMnistArgs([])!.guidance).toEqual([0, 1, 2, 4, 6, 8]);
    expect(parseMnistArgs([])!.distillGuidance).toEqual([6]);
    expect(parseMnistArgs(['--distill-guidance', '4'])!.distillGuidance).toEqual([4]);
    expect(() => parseMnistArgs(['--guidance', '1,-2'])).toThrow('--guidance must be guidance scales ≥ 0, got "-2"');
    expect(() => parseMnistArgs(['--distill-guidance', 'x'])).toThrow('--distill-guidance must be guidance scales ≥ 0, got "x"');
    expect(() => parseMnistArgs(['--distill-minutes', '0'])).toThrow('--distill-minutes must be a positive number, got "0"');
  });

  it('--conditional takes its own defaults (the measured ones) unless --quick; explicit flags win', () => {
    const full = parseMnistArgs(['--conditional'])!;
    expect(full.conditional).toBe(true);
    expect([full.minutes, full.batchSize, full.flowSamplerSteps, full.distillMinutes, full.distillSteps]).toEqual([
      MNIST_CONDITIONAL.minutes,
      MNIST_CONDITIONAL.batchSize,
      MNIST_CONDITIONAL.flowSamplerSteps,
      MNIST_CONDITIONAL.distillMinutes,
      MNIST_CONDITIONAL.distillSteps,
    ]);
    const quick = parseMnistArgs(['--quick', '--conditional', '--batch-size', '32'])!;
    expect([quick.minutes, quick.batchSize, quick.distillMinutes, quick.distillSteps]).toEqual([MNIST_QUICK.minutes, 32, MNIST_QUICK.minutes, MNIST_QUICK.steps]);
    expect(parseMnistArgs([])!.conditional).toBe(false);
    expect(conditionalTeacherRecipe(full, 0)).toMatchObject({ model: MNIST_CONDITIONAL_FIELD, batchSize: MNIST_CONDITIONAL.batchSize, steps: MNIST_CONDITIONAL.steps });
    expect(conditionalDistillRecipe(full, 0, 3)).toMatchObject({ steps: MNIST_CONDITIONAL.distillSteps, options: { pairs: MNIST_CONDITIONAL.distillPairs, teacherSteps: MNIST_CONDITIONAL.distillTeacherSteps } });
  });
});
