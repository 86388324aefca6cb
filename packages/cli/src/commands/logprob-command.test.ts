import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry } from '@pfm/core';
import { loadModel, readDataFile } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { errorLineOf, FIXTURE_PLUGIN, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

describe('pfm logprob', () => {
  it("writes the model's log density at every row, under a logprob header", async () => {
    const out = join(scratchDir(), 'logp.csv');
    const r = await runPfm(['logprob', '--model', fx.model, '--data', fx.data, '--backend', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^wrote log p\(x\) of the realnvp model at 256 points to .*logp\.csv \(mean -?\d+\.\d{4}, /);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('logprob');
    // Reference: the same model and data in this process, on the same (cpu) backend.
    const model = await loadModel(fx.model, createRegistry({ plugins: cliPlugins }));
    const table = await readDataFile(fx.data);
    const expected = tf.tidy(() => model.logProb!(tf.tensor2d(table.values, [table.rows, table.cols])));
    const written = await readDataFile(out);
    expect([written.rows, written.cols]).toEqual([256, 1]);
    const want = expected.dataSync();
    for (let i = 0; i < 256; i++) expect(written.values[i]).toBe(want[i]);
    expected.dispose();
    model.dispose();
  });

  it('a model without a density is an error naming its method; so is data of the wrong dimension', async () => {
    const dir = scratchDir();
    const model = join(dir, 'explode.json');
    const trained = await runPfm(['train', '--data', fx.data, '--method', 'explode', '--steps', '2', '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--out', model, '-q']);
    expect(trained.code, trained.stderr).toBe(0);
    const noDensity = errorLineOf(await runPfm(['logprob', '--model', model, '--data', fx.data, '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--out', join(dir, 'a.csv')]));
    expect(noDensity).toBe(
      `pfm logprob: ${model}: the explode model has no density (no logProb); pfm logprob needs a model of a method with one, such as a normalizing flow`,
    );
    writeFileSync(join(dir, 'three.csv'), '1,2,3\n4,5,6\n');
    const wrongDim = errorLineOf(await runPfm(['logprob', '--model', fx.model, '--data', join(dir, 'three.csv'), '--backend', 'cpu', '--out', join(dir, 'b.csv')]));
    expect(wrongDim).toBe(`pfm logprob: ${join(dir, 'three.csv')} has 3 columns but the model expects 2`);
    expect(existsSync(join(dir, 'a.csv')) || existsSync(join(dir, 'b.csv'))).toBe(false);
  });
});
