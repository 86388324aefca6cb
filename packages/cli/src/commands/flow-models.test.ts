import { join } from 'node:path';
import { createRegistry, createRng } from '@pfm/core';
import { loadModel, readDataFile } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { readJson, scratchDir } from '../test-support/scratch.js';
import { existsSync, writeFileSync } from 'node:fs';

const fx = inject('fixtures');

describe('flow models through the command line', () => {
  it('sample --integrator --steps integrates with that solver; distill --teacher trains from a model file and resumes without it', async () => {
    const dir = scratchDir();
    const recipe = (name: string, body: object) => {
      writeFileSync(join(dir, name), JSON.stringify(body));
      return join(dir, name);
    };
    const teacher = join(dir, 'teacher.json');
    const fm = recipe('fm.json', { method: 'flow-matching', options: { sampler: { integrator: 'euler', steps: 8 } }, model: { hidden: [16] }, batchSize: 64, steps: 60, seed: 1 });
    const trained = await runPfm(['train', '--data', fx.data, '--config', fm, '--backend', 'cpu', '--out', teacher, '-q']);
    expect(trained.code, trained.stderr).toBe(0);

    // rk4 with 3 steps: 4 evaluations per step; the samples are the model's own for these options.
    const sampled = await runPfm(['sample', '--model', teacher, '-n', '64', '--seed', '9', '--integrator', 'rk4', '--steps', '3', '--backend', 'cpu', '--out', join(dir, 's.npy')]);
    expect(sampled.code, sampled.stderr).toBe(0);
    expect(sampled.stderr).toContain('from the flow-matching model');
    expect(sampled.stderr).toContain('NFE 12,');
    const model = await loadModel(teacher, createRegistry({ plugins: cliPlugins }));
    const reference = model.sample(64, createRng(9), { integrator: 'rk4', steps: 3 });
    const expected = Array.from(reference.dataSync());
    reference.dispose();
    model.dispose();
    expect(Array.from((await readDataFile(join(dir, 's.npy'))).values)).toEqual(expected);

    // Direct distillation: --teacher reads the model file into options.teacher.
    const distill = recipe('distill.json', {
      method: 'distill',
      options: { pairs: 256, teacherIntegrator: 'euler', teacherSteps: 4 },
      model: { hidden: [16] },
      batchSize: 64,
      steps: 40,
      seed: 2,
    });
    // Pairs that cannot fit are refused by the memory plan before the teacher integrates any.
    const many = recipe('many.json', { method: 'distill', options: { pairs: 500_000, teacherIntegrator: 'euler', teacherSteps: 4 }, model: { hidden: [16] }, batchSize: 64, steps: 40 });
    const refused = await runPfm(['train', '--data', fx.data, '--config', many, '--teacher', teacher, '--backend', 'cpu', '--max-memory', '4M', '--out', join(dir, 'many-out.json')]);
    expect(errorLineOf(refused)).toMatch(
      /^pfm train: the run's set-up \(distillation pairs \(the teacher's endpoints\)\) needs about [\d.]+ MiB, more than --max-memory 4\.0 MiB; the batch size does not change it: fewer options\.pairs, or a smaller options\.teacherChunkRows$/,
    );
    expect(existsSync(join(dir, 'many-out.json'))).toBe(false);

    const student = join(dir, 'student.json');
    const run = await runPfm(['train', '--data', fx.data, '--config', distill, '--teacher', teacher, '--checkpoint-every', '20', '--backend', 'cpu', '--out', student, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const file = readJson(student);
    expect(file.method).toBe('distill');
    expect(file.extra.teacher).toEqual({ method: 'flow-matching', nfe: 4 });
    // The teacher's weights are not stored with the student (only in the checkpoint, to resume).
    expect(file.options.teacher).toBeUndefined();
    expect(file.training.recipe.options.teacher).toBeUndefined();
    expect(readJson(`${student}.ckpt.json`).recipe.options.teacher.format).toBe('pfm-model');

    const resumed = join(dir, 'resumed.json');
    const again = await runPfm(['train', '--data', fx.data, '--resume', `${student}.ckpt.json`, '--backend', 'cpu', '--out', resumed, '-q']);
    expect(again.code, again.stderr).toBe(0);
    expect(readJson(resumed).maps).toEqual(file.maps);
    const oneStep = await runPfm(['sample', '--model', student, '-n', '10', '--backend', 'cpu', '--out', join(dir, 'd.csv')]);
    expect(oneStep.stderr).toContain('NFE 1,');
  });
});
