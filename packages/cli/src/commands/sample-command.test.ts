import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, createRng, gaussian, trainRecipe } from '@pfm/core';
import { loadModel, readDataFile, saveModel } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { errorLineOf, FIXTURE_PLUGIN, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

describe('pfm sample', () => {
  it("writes the model's own samples for the seed (CSV and JSON alike; NPY in flow-models.test) and reports NFE and seconds", async () => {
    const dir = scratchDir();
    // Reference: the same model file sampled in this process on the same (cpu) backend.
    const model = await loadModel(fx.model, createRegistry({ plugins: cliPlugins }));
    const reference = model.sample(500, createRng(5));
    const expected = Array.from(reference.dataSync());
    reference.dispose();
    model.dispose();
    for (const file of ['s.csv', 's.json']) {
      const r = await runPfm(['sample', '--model', fx.model, '-n', '500', '--seed', '5', '--backend', 'cpu', '--out', join(dir, file)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^sampled 500 points \(dim 2\) from the realnvp model .*: NFE 1, \d+\.\d{3} s; wrote /);
      const table = await readDataFile(join(dir, file));
      expect([table.rows, table.cols]).toEqual([500, 2]);
      expect(Array.from(table.values)).toEqual(expected);
    }
  });

  it('a corrupted model file is an error naming the file and the field; nothing is written', async () => {
    const dir = scratchDir();
    const file = JSON.parse(readFileSync(fx.model, 'utf8'));
    const role = Object.keys(file.maps)[0]!;
    file.maps[role].weights[0].shape = [3, 3, 3];
    writeFileSync(join(dir, 'bad-shape.json'), JSON.stringify(file));
    const shape = errorLineOf(await runPfm(['sample', '--model', join(dir, 'bad-shape.json'), '-n', '5', '--backend', 'cpu', '--out', join(dir, 'a.csv')]));
    expect(shape).toMatch(new RegExp(`^pfm sample: ${join(dir, 'bad-shape.json')}: maps\\.${role}\\.weights\\[0\\]`));
    writeFileSync(join(dir, 'truncated.json'), readFileSync(fx.model, 'utf8').slice(0, 300));
    const truncated = errorLineOf(await runPfm(['sample', '--model', join(dir, 'truncated.json'), '-n', '5', '--backend', 'cpu', '--out', join(dir, 'b.csv')]));
    expect(truncated).toMatch(new RegExp(`^pfm sample: ${join(dir, 'truncated.json')}: not valid JSON`));
    expect(existsSync(join(dir, 'a.csv')) || existsSync(join(dir, 'b.csv'))).toBe(false);
  });

  it('a checkpoint given to --model is named for what it is', async () => {
    const line = errorLineOf(await runPfm(['sample', '--model', fx.checkpoint, '-n', '5', '--backend', 'cpu', '--out', join(scratchDir(), 'a.csv')]));
    expect(line).toBe(`pfm sample: --model ${fx.checkpoint}: this is a checkpoint, not a model file (continue its run with pfm train --resume ${fx.checkpoint})`);
  });

  it('an unknown integrator lists the known ones', async () => {
    const line = errorLineOf(await runPfm(['sample', '--model', fx.model, '-n', '5', '--integrator', 'rk9', '--backend', 'cpu', '--out', join(scratchDir(), 'a.csv')]));
    expect(line).toMatch(/^pfm sample: unknown integrator "rk9"; known integrator ids: .*\beuler\b.*\brk4\b/);
  });

  it('--rtol, --atol and --controller sample a flow with adaptive steps; adaptive steps need an integrator with an error estimate', async () => {
    const dir = scratchDir();
    const registry = createRegistry({ plugins: cliPlugins });
    const data = gaussian({ dim: 2 }).sample(64, createRng(1));
    const { model: trained } = await trainRecipe({ method: 'flow-matching', options: { sampler: { integrator: 'euler', steps: 8 } }, model: { hidden: [8] }, steps: 2, batchSize: 16, seed: 1 }, data, { registry });
    data.dispose();
    const path = join(dir, 'fm.json');
    await saveModel(path, trained, registry);
    trained.dispose();
    const options = { integrator: 'dopri5', rtol: 1e-4, atol: 1e-6, controller: 'integral' };
    const model = await loadModel(path, registry);
    const nfe = model.nfeFor!(options as never);
    const reference = model.sample(32, createRng(4), options as never);
    const expected = Array.from(reference.dataSync());
    reference.dispose();
    model.dispose();
    const flags = ['--integrator', 'dopri5', '--rtol', '1e-4', '--atol', '1e-6', '--controller', 'integral'];
    const r = await runPfm(['sample', '--model', path, '-n', '32', '--seed', '4', ...flags, '--backend', 'cpu', '--out', join(dir, 'a.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`NFE ${nfe},`);
    expect((nfe - 2) % 6).toBe(0);
    expect(Array.from((await readDataFile(join(dir, 'a.csv'))).values)).toEqual(expected);
    const out = join(dir, 'b.csv');
    expect(errorLineOf(await runPfm(['sample', '--model', path, '-n', '5', '--rtol', '1e-4', '--backend', 'cpu', '--out', out]))).toMatch(
      /^pfm sample: flow-matching\.sample: adaptive stepping \(rtol\/atol\) needs an integrator with an error estimate, and "euler" has none; integrators with one: dopri5, heun$/,
    );
    expect(errorLineOf(await runPfm(['sample', '--model', path, '-n', '5', '--controller', 'pid', '--backend', 'cpu', '--out', out]))).toMatch(
      /^pfm sample: unknown controller "pid"; known controller ids: integral, pi; did you mean "pi"\?$/,
    );
    expect(errorLineOf(await runPfm(['sample', '--model', path, '-n', '5', '--rtol', '0', '--backend', 'cpu', '--out', out]))).toMatch(/^pfm sample: --rtol must be a positive number, got "0"/);
    expect(existsSync(out)).toBe(false);
  });

  it('a model of a plugin that is not loaded names the plugin; with --plugin it samples', async () => {
    const dir = scratchDir();
    const model = join(dir, 'explode.json');
    const trained = await runPfm(['train', '--data', fx.data, '--method', 'explode', '--steps', '3', '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--out', model, '-q']);
    expect(trained.code, trained.stderr).toBe(0);
    const line = errorLineOf(await runPfm(['sample', '--model', model, '-n', '5', '--backend', 'cpu', '--out', join(dir, 'a.csv')]));
    expect(line).toMatch(new RegExp(`^pfm sample: ${model}: unknown objective "explode"; known objective ids: .*; the file was written with pfm-cli-fixture@1\\.0\\.0, not loaded here \\(load it with --plugin MODULE\\)$`));
    const r = await runPfm(['sample', '--model', model, '-n', '5', '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--out', join(dir, 'a.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('from the explode model');
  });
});
