import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { TINY_RECIPE } from '../test-support/global-setup.js';
import { errorLineOf, FIXTURE_PLUGIN, runPfm, startPfm } from '../test-support/run-pfm.js';
import { readJson, scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

describe('pfm train', () => {
  it('prints progress on stderr and one JSON line on stdout; the model file records the training', () => {
    const summary = JSON.parse(fx.trainSummary) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual(['backend', 'finalLoss', 'method', 'model', 'seconds', 'status', 'steps', 'stepsPerSecond'].sort());
    expect(summary).toMatchObject({ status: 'completed', method: 'realnvp', steps: 300, model: fx.model, backend: 'cpu' });
    expect(summary.seconds as number).toBeGreaterThan(0);
    expect(summary.stepsPerSecond as number).toBeGreaterThan(0);
    expect(fx.trainSummary.trim().split('\n')).toHaveLength(1);
    expect(fx.trainStderr).toMatch(/^training realnvp on .*moons\.csv \(256 points of dim 2\), 300 steps of batch 32, backend cpu, about [\d.]+ (B|KiB|MiB) of memory$/m);
    expect(fx.trainStderr).toContain(`a checkpoint every 5 min goes to ${fx.model}.ckpt.json`);
    expect(fx.trainStderr).toMatch(/^step 300\/300 {2}loss -?\d+\.\d{4} {2}[\d.]+ steps\/s {2}ETA 0s$/m);
    const file = readJson(fx.model);
    expect(file.method).toBe('realnvp');
    expect(file.training).toMatchObject({ status: 'completed', steps: 300, finalLoss: summary.finalLoss, backend: 'cpu', recipe: { ...TINY_RECIPE, options: { blocks: 2 } } });
  });

  it('Ctrl-C writes a checkpoint and exits 130; --resume then ends on the same model, bit for bit', async () => {
    const dir = scratchDir();
    const out = join(dir, 'model.json');
    const args = ['train', '--data', fx.data, '--config', fx.recipe, '--backend', 'cpu', '--out', out];
    const run = startPfm(args);
    await run.waitForStderr(/^step +1\/300 /m);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const line = JSON.parse(interrupted.stdout) as { status: string; steps: number; checkpoint: string };
    expect(line.status).toBe('interrupted');
    expect(line.checkpoint).toBe(`${out}.ckpt.json`);
    expect(interrupted.stderr).toContain(`--resume ${out}.ckpt.json`);
    expect(existsSync(out)).toBe(false);
    const checkpoint = readJson(`${out}.ckpt.json`);
    // Interrupted mid-run, so the resumed part is not empty.
    expect(checkpoint.step).toBe(line.steps);
    expect(checkpoint.step).toBeGreaterThan(0);
    expect(checkpoint.step).toBeLessThan(300);

    const resumed = await runPfm([...args, '--resume', `${out}.ckpt.json`]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`at step ${checkpoint.step}`);
    expect(readJson(out).maps).toEqual(readJson(fx.model).maps);
  });

  it('--checkpoint-every writes a checkpoint that resumes with the recipe it holds (no recipe flags needed)', async () => {
    expect(readJson(fx.checkpoint)).toMatchObject({ format: 'pfm-checkpoint', step: 200, steps: 300, seed: 3, batchSize: 32 });
    const out = join(scratchDir(), 'model.json');
    const r = await runPfm(['train', '--data', fx.data, '--backend', 'cpu', '--resume', fx.checkpoint, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(out).maps).toEqual(readJson(fx.model).maps);
    expect(readJson(out).training.resumedAtStep).toBe(200);
  });

  it('--resume with a recipe that differs from the checkpoint is an error naming the field', async () => {
    const dir = scratchDir();
    const line = errorLineOf(await runPfm(['train', '--data', fx.data, '--config', fx.recipe, '--steps', '400', '--backend', 'cpu', '--resume', fx.checkpoint, '--out', join(dir, 'm.json')]));
    expect(line).toBe(
      `pfm train: --resume ${fx.checkpoint}: this command asks for config.steps = 400 but the checkpoint was made with 300; resume with the same recipe (or give no recipe flags to use the checkpoint's)`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a diverged run saves the last good parameters, says so and exits 2', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'explode.json'), JSON.stringify({ method: 'explode', options: { at: 4 }, batchSize: 16, seed: 1 }));
    const common = ['--data', fx.data, '--config', join(dir, 'explode.json'), '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu'];
    const diverged = await runPfm(['train', ...common, '--steps', '50', '--out', join(dir, 'diverged.json')]);
    expect(errorLineOf(diverged)).toBe(
      `pfm train: training diverged at step 5: player "generator" loss is Infinity; parameters kept from step 4 (try a lower learning rate or gradient clipping); saved them to ${join(dir, 'diverged.json')}`,
    );
    expect(JSON.parse(diverged.stdout)).toMatchObject({ status: 'diverged', method: 'explode', steps: 4 });
    // The saved parameters are those of a run stopped after 4 steps.
    const four = await runPfm(['train', ...common, '--steps', '4', '--out', join(dir, 'four.json')]);
    expect(four.code, four.stderr).toBe(0);
    const saved = readJson(join(dir, 'diverged.json'));
    expect(saved.training).toMatchObject({ status: 'diverged', steps: 4 });
    expect(saved.maps).toEqual(readJson(join(dir, 'four.json')).maps);
  });

  it('trains with a plugin optimizer given by id; a bad id is an error naming the field', async () => {
    const dir = scratchDir();
    const recipe = (optimizer: unknown) => {
      const path = join(dir, `recipe-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(path, JSON.stringify({ method: 'explode', options: { latentDim: 1 }, optimizer, steps: 3, batchSize: 16, seed: 1 }));
      return path;
    };
    const common = ['--data', fx.data, '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--checkpoint-minutes', '0'];
    const signed = await runPfm(['train', ...common, '--config', recipe({ id: 'sign-descent', options: { lr: 0.5 } }), '--out', join(dir, 'signed.json')]);
    expect(signed.code, signed.stderr).toBe(0);
    const plain = await runPfm(['train', ...common, '--config', recipe({ name: 'sgd', lr: 0.5 }), '--out', join(dir, 'plain.json')]);
    expect(plain.code, plain.stderr).toBe(0);
    // Same seed and data: only the update rule differs, so the weights must too.
    expect(readJson(join(dir, 'signed.json')).maps).not.toEqual(readJson(join(dir, 'plain.json')).maps);
    expect(readJson(join(dir, 'signed.json')).training.recipe.optimizer).toEqual({ id: 'sign-descent', options: { lr: 0.5 } });
    const bad = await runPfm(['train', ...common, '--config', recipe({ id: 'sign-decent' }), '--out', join(dir, 'bad.json')]);
    expect(errorLineOf(bad)).toMatch(/unknown optimizer "sign-decent"; known optimizer ids: .*sign-descent/);
    expect(readdirSync(dir).filter((f) => !f.startsWith('recipe-')).sort()).toEqual(['plain.json', 'signed.json']);
  });

  it('a recipe with ema trains the average into the model and the model file records it', async () => {
    const dir = scratchDir();
    const common = ['--data', fx.data, '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--checkpoint-minutes', '0'];
    const recipe = (extra: Record<string, unknown>) => {
      const path = join(dir, `recipe-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(path, JSON.stringify({ method: 'explode', options: { latentDim: 1 }, optimizer: { name: 'sgd', lr: 0.5 }, steps: 3, batchSize: 16, seed: 1, ...extra }));
      return path;
    };
    const averaged = await runPfm(['train', ...common, '--config', recipe({ ema: { decay: 0.5 } }), '--out', join(dir, 'ema.json')]);
    expect(averaged.code, averaged.stderr).toBe(0);
    const plain = await runPfm(['train', ...common, '--config', recipe({}), '--out', join(dir, 'plain.json')]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(readJson(join(dir, 'ema.json')).training.recipe.ema).toEqual({ decay: 0.5, warmupSteps: 0 });
    expect(readJson(join(dir, 'plain.json')).training.recipe.ema).toBeUndefined();
    expect(readJson(join(dir, 'ema.json')).maps).not.toEqual(readJson(join(dir, 'plain.json')).maps);
  });

  it('--ema-decay sets ema.decay over the recipe; a decay of 1 or more is refused naming the flag', async () => {
    const dir = scratchDir();
    const common = ['--data', fx.data, '--config', fx.recipe, '--backend', 'cpu', '--checkpoint-minutes', '0', '--steps', '5'];
    const r = await runPfm(['train', ...common, '--ema-decay', '0.9', '--out', join(dir, 'ema.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(join(dir, 'ema.json')).training.recipe.ema).toEqual({ decay: 0.9, warmupSteps: 0 });
    const bad = await runPfm(['train', ...common, '--ema-decay', '1', '--out', join(dir, 'bad.json')]);
    expect(errorLineOf(bad)).toBe('pfm train: --ema-decay must be a number in [0, 1), got "1"');
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  });

  it('--time-limit stops the run, saves the model it has (status time-limit) and a checkpoint that resumes to the full model', async () => {
    const dir = scratchDir();
    const out = join(dir, 'model.json');
    const args = ['train', '--data', fx.data, '--config', fx.recipe, '--backend', 'cpu', '--checkpoint-minutes', '0', '--out', out];
    // 0.3 s: past the start, long before the 300 steps end.
    const stopped = await runPfm([...args, '--time-limit', '0.005']);
    expect(stopped.code, stopped.stderr).toBe(0);
    const line = JSON.parse(stopped.stdout) as { status: string; steps: number; model: string; checkpoint: string };
    expect(line).toMatchObject({ status: 'time-limit', model: out, checkpoint: `${out}.ckpt.json` });
    expect(line.steps).toBeGreaterThan(0);
    expect(line.steps).toBeLessThan(300);
    expect(stopped.stderr).toContain('time limit of 0.005 min reached');
    expect(readJson(out).training).toMatchObject({ status: 'time-limit', steps: line.steps });
    expect(readJson(`${out}.ckpt.json`).step).toBe(line.steps);
    const sampled = await runPfm(['sample', '--model', out, '-n', '4', '--backend', 'cpu', '--out', join(dir, 's.csv')]);
    expect(sampled.code, sampled.stderr).toBe(0);
    const resumed = await runPfm([...args, '--resume', `${out}.ckpt.json`]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readJson(out).maps).toEqual(readJson(fx.model).maps);
    expect(errorLineOf(await runPfm([...args, '--time-limit', '0']))).toMatch(/^pfm train: --time-limit must be a positive number/);
  });

  it('unknown methods and bad options are errors naming the ids and fields; nothing is written', async () => {
    const dir = scratchDir();
    const out = join(dir, 'm.json');
    const base = ['train', '--data', fx.data, '--backend', 'cpu', '--out', out];
    expect(errorLineOf(await runPfm([...base, '--method', 'real-nvp']))).toMatch(/^pfm train: unknown objective "real-nvp"; known objective ids: .*\brealnvp\b/);
    const config = join(dir, 'recipe.json');
    writeFileSync(config, JSON.stringify({ ...TINY_RECIPE, options: { blocks: 0 } }));
    expect(errorLineOf(await runPfm([...base, '--config', config]))).toMatch(
      new RegExp(`^pfm train: ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: bad options for objective "realnvp": config\\.options\\.blocks: `),
    );
    writeFileSync(config, JSON.stringify({ ...TINY_RECIPE, stepz: 5 }));
    expect(errorLineOf(await runPfm([...base, '--config', config]))).toMatch(/bad config: config: Unrecognized key: "stepz"/);
    expect(errorLineOf(await runPfm([...base, '--method', 'realnvp', '--batch-size', '0']))).toBe('pfm train: --batch-size must be a positive integer, got "0"');
    expect(errorLineOf(await runPfm([...base, '--method', 'realnvp', '--checkpoint-minutes', 'soon']))).toBe('pfm train: --checkpoint-minutes must be a number ≥ 0, got "soon"');
    expect(errorLineOf(await runPfm([...base, '--method', 'realnvp', '--teacher', fx.model]))).toBe(
      'pfm train: --teacher: the objective "realnvp" takes no teacher (it has no "teacher" option)',
    );
    expect(readdirSync(dir)).toEqual(['recipe.json']);
  });

  it('a model file given to --resume or --config, or a checkpoint given to --config or --teacher, is named for what it is', async () => {
    const dir = scratchDir();
    const out = join(dir, 'm.json');
    const base = ['train', '--data', fx.data, '--backend', 'cpu', '--out', out];
    expect(errorLineOf(await runPfm([...base, '--config', fx.recipe, '--resume', fx.model]))).toBe(
      `pfm train: --resume ${fx.model}: this is a model file, not a checkpoint (sample it with pfm sample --model; the recipe that trained it is its "training.recipe" field)`,
    );
    expect(errorLineOf(await runPfm([...base, '--config', fx.model]))).toBe(
      `pfm train: --config ${fx.model}: this is a model file, not a recipe (sample it with pfm sample --model; the recipe that trained it is its "training.recipe" field)`,
    );
    expect(errorLineOf(await runPfm([...base, '--config', fx.checkpoint]))).toBe(
      `pfm train: --config ${fx.checkpoint}: this is a checkpoint, not a recipe (continue its run with pfm train --resume ${fx.checkpoint})`,
    );
    expect(errorLineOf(await runPfm([...base, '--method', 'distill', '--teacher', fx.checkpoint]))).toBe(
      `pfm train: --teacher ${fx.checkpoint}: this is a checkpoint, not a model file (continue its run with pfm train --resume ${fx.checkpoint})`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('unreadable, ragged and NaN data are errors naming the file, row and column; an unwritable --out fails first', async () => {
    const dir = scratchDir();
    const out = join(dir, 'm.json');
    const train = (data: string, target = out) => runPfm(['train', '--data', data, '--config', fx.recipe, '--backend', 'cpu', '--out', target]);
    expect(errorLineOf(await train(join(dir, 'missing.csv')))).toBe(`pfm train: ${join(dir, 'missing.csv')}: no such file`);
    writeFileSync(join(dir, 'ragged.csv'), '1,2\n3,4\n5\n');
    expect(errorLineOf(await train(join(dir, 'ragged.csv')))).toMatch(new RegExp(`^pfm train: ${join(dir, 'ragged.csv')}.*\\brow 3\\b`));
    writeFileSync(join(dir, 'nan.csv'), '1,2\n3,NaN\n');
    expect(errorLineOf(await train(join(dir, 'nan.csv')))).toMatch(new RegExp(`^pfm train: ${join(dir, 'nan.csv')}.*\\brow 2\\b.*\\bcolumn 2\\b`));
    expect(errorLineOf(await train(fx.data, join(dir, 'no-such-dir', 'm.json')))).toContain(`cannot write "${join(dir, 'no-such-dir', 'm.json')}"`);
    expect(readdirSync(dir).sort()).toEqual(['nan.csv', 'ragged.csv']);
  });

  it('runs on wasm by default; --lr overrides the recipe', async () => {
    const out = join(scratchDir(), 'wasm.json');
    const r = await runPfm(['train', '--data', fx.data, '--config', fx.recipe, '--steps', '20', '--lr', '0.003', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', steps: 20, backend: 'wasm' });
    expect(readJson(out).training.recipe.optimizer.lr).toBe(0.003);
    const sampled = await runPfm(['sample', '--model', out, '-n', '10', '--out', join(scratchDir(), 's.csv')]);
    expect(sampled.code, sampled.stderr).toBe(0);
  });
});
