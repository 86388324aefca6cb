import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createRng, createTrainingRun, parseRecipe } from '@pfm/core';
import { loadModel, readDataFile, saveModel } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { cliPlugins } from '../plugins.js';
import { errorLineOf, FIXTURE_PLUGIN, runPfm } from '../test-support/run-pfm.js';
import { logprobCommand } from './logprob-command.js';
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

  it('a flow trained on dequantised pixels writes log P(x) of the discrete pixels, −d·ln 2 times the bits/dim it reports (noise seed 0); --bits-per-dim writes those', async () => {
    const dir = scratchDir();
    const registry = createRegistry({ plugins: cliPlugins });
    const rows = Array.from({ length: 64 }, (_, i) => [0, 1, 2, 3].map((j) => ((i * 37 + j * 101) % 256) / 255));
    const data = join(dir, 'pixels.csv');
    writeFileSync(data, rows.map((r) => r.join(',')).join('\n') + '\n');
    const pixels = tf.tensor2d(rows);
    const recipe = parseRecipe({ method: 'flow-mle', options: { layers: [{ type: 'elementwise-affine', options: { dim: 4 } }], preprocess: {} } }, registry);
    const run = createTrainingRun(recipe, pixels, registry);
    const modelPath = join(dir, 'pixels.json');
    await saveModel(modelPath, run.model, registry);
    // Row by row, from the same noise: chunk 0 draws from createRng(0).fold(0).
    const bits = tf.tidy(() => Array.from((run.model as unknown as { bitsPerDim(x: tf.Tensor2D, rng: ReturnType<typeof createRng>): tf.Tensor }).bitsPerDim(pixels, createRng(0).fold(0)).dataSync()));
    const expected = bits.reduce((a, b) => a + b, 0) / bits.length;
    run.model.dispose();
    pixels.dispose();
    const r = await runPfm(['logprob', '--model', modelPath, '--data', data, '--backend', 'cpu', '--out', join(dir, 'logp.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const nats = -4 * Math.LN2;
    expect(r.stderr).toMatch(
      new RegExp(`^wrote log P\\(x\\) of the discrete pixels \\(dequantised, noise seed 0\\) of the flow-mle model at 64 points to .* \\(mean ${(expected * nats).toFixed(4)} nats, ${expected.toFixed(4)} bits/dim of the dequantised data, `),
    );
    const written = await readDataFile(join(dir, 'logp.csv'));
    expect(written.header).toEqual(['logprob']);
    // log P(x) = log p(x̃) − d·log 256 = −bits·d·ln 2 (float32 rounding of the product).
    bits.forEach((b, i) => expect(Math.abs(written.values[i]! - b * nats), `row ${i}`).toBeLessThan(1e-4 * Math.abs(b * nats)));
    const perDim = await runPfm(['logprob', '--model', modelPath, '--data', data, '--backend', 'cpu', '--bits-per-dim', '--out', join(dir, 'bpd.csv')]);
    expect(perDim.code, perDim.stderr).toBe(0);
    expect(perDim.stderr).toMatch(/^wrote bits per dimension of the pixels \(dequantised, noise seed 0\) of the flow-mle model at 64 points/);
    const bpd = await readDataFile(join(dir, 'bpd.csv'));
    expect(bpd.header).toEqual(['bits_per_dim']);
    expect(Array.from(bpd.values)).toEqual(Array.from(Float32Array.from(bits)));
    // A model of continuous data has no bits per dimension.
    expect(errorLineOf(await runPfm(['logprob', '--model', fx.model, '--data', fx.data, '--backend', 'cpu', '--bits-per-dim', '--out', join(dir, 'no.csv')]))).toBe(
      `pfm logprob: --bits-per-dim: the realnvp model of ${fx.model} was not trained on dequantised pixels, so it has no bits per dimension; its log p(x) is a density of continuous data (drop --bits-per-dim)`,
    );
    expect(existsSync(join(dir, 'no.csv'))).toBe(false);
  });

  it('--labels: log p(x | c) of conditional RealNVP and VAE models, row by row; bad label input exits 2 with one line and writes nothing', async () => {
    const dir = scratchDir();
    const registry = createRegistry({ plugins: cliPlugins });
    const rng = createRng(4);
    const labels = Array.from({ length: 40 }, (_, i) => i % 3);
    const rows = labels.map((c) => [c * 2 + 0.3 * rng.normalArray(1)[0]!, -c + 0.3 * rng.normalArray(1)[0]!]);
    const data = join(dir, 'd.csv');
    const labelFile = join(dir, 'y.csv');
    writeFileSync(data, rows.map((r) => r.join(',')).join('\n') + '\n');
    writeFileSync(labelFile, 'label\n' + labels.join('\n') + '\n');
    const x = tf.tensor2d(rows);
    const y = tf.tensor1d(labels, 'int32');
    for (const method of ['realnvp', 'vae'] as const) {
      const recipe = parseRecipe({ method, options: method === 'vae' ? { logProbSamples: 8 } : { blocks: 2 }, model: { hidden: [8] } }, registry);
      const run = createTrainingRun(recipe, x, registry, { condition: { spec: { kind: 'class', classes: 3 }, rows: y } });
      const modelPath = join(dir, `${method}.json`);
      await saveModel(modelPath, run.model, registry);
      const logProb = run.model.logProb as unknown as (x: tf.Tensor2D, c: ArrayLike<number>) => tf.Tensor1D;
      const expected = tf.tidy(() => Array.from(logProb.call(run.model, x, labels).dataSync()));
      run.model.dispose();
      const out = join(dir, `${method}-logp.csv`);
      const r = await runPfm(['logprob', '--model', modelPath, '--data', data, '--labels', labelFile, '--backend', 'cpu', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^wrote log p\\(x \\| c\\) of the ${method} model at 40 points`));
      const written = await readDataFile(out);
      expect(Array.from(written.values)).toEqual(expected);
    }
    tf.dispose([x, y]);
    const model = join(dir, 'realnvp.json');
    const scratch = scratchDir();
    const bad = async (args: string[]) => errorLineOf(await runPfm(['logprob', ...args, '--backend', 'cpu', '--out', join(scratch, 'a.csv')]));
    expect(await bad(['--model', model, '--data', data])).toBe(`pfm logprob: ${model} is conditioned on class labels 0…2: give --labels FILE (the class of each data row) for log p(x | c)`);
    const three = join(dir, 'three.csv');
    writeFileSync(three, 'label\n0\n1\n2\n');
    expect(await bad(['--model', model, '--data', data, '--labels', three])).toBe(`pfm logprob: --labels ${three}: has 3 labels, expected one per data row (40)`);
    const outside = join(dir, 'outside.csv');
    writeFileSync(outside, 'label\n' + labels.map((c, i) => (i === 7 ? 5 : c)).join('\n') + '\n');
    expect(await bad(['--model', model, '--data', data, '--labels', outside])).toBe(
      `pfm logprob: --labels ${outside}: row 8 holds 5, not a class of this model; expected an integer in 0…2`,
    );
    expect(await bad(['--model', fx.model, '--data', fx.data, '--labels', labelFile])).toBe(
      `pfm logprob: --labels: ${fx.model} is an unconditional model (trained without --labels); it has a density p(x), not p(x | c)`,
    );
    expect(existsSync(join(scratch, 'a.csv'))).toBe(false);
  }, 120_000);
});

describe('pfm logprob on degenerate data', () => {
  it('names one point, fewer points than dimensions, constant columns and a repeated point on stderr, as train does', async () => {
    // In process (the command's own run), so no CLI process is started for it.
    const registry = createRegistry({ plugins: cliPlugins });
    const dir = scratchDir();
    const run = async (name: string, csv: string) => {
      const data = join(dir, name);
      writeFileSync(data, csv);
      const stderr: string[] = [];
      const io = { stdout: () => undefined, stderr: (text: string) => void stderr.push(text), stderrIsTTY: false, columns: undefined };
      const before = tf.memory().numTensors;
      const code = await logprobCommand.run({ values: { model: fx.model, data, out: join(dir, `${name}.logp.csv`) }, positionals: [], registry, backend: 'cpu', io, verbose: false });
      expect(tf.memory().numTensors).toBe(before);
      expect(code).toBe(0);
      return { data, warnings: stderr.join('').split('\n').filter((l) => l.startsWith('pfm logprob: warning: ')), all: stderr.join('') };
    };
    const one = await run('one.csv', '1,2\n');
    expect(one.warnings).toEqual([
      `pfm logprob: warning: ${one.data} has 1 point; at least 2 are needed to learn a distribution (a model of one point only learns that point)`,
      `pfm logprob: warning: ${one.data} has 1 point in 2 dimensions: fewer points than dimensions, so their covariance is singular (rank at most 0) and most directions are never seen`,
    ]);
    // The density is still written: a warning, not an error.
    expect(one.all).toContain('wrote log p(x) of the realnvp model at 1 points');
    const constant = await run('constant.csv', '1,2\n3,2\n5,2\n');
    expect(constant.warnings).toEqual([`pfm logprob: warning: 1 of 2 columns of ${constant.data} are constant (0-based: 1): the model learns nothing about it but their value`]);
    const repeated = await run('repeated.csv', '1,2\n1,2\n1,2\n');
    expect(repeated.warnings).toEqual([`pfm logprob: warning: all 3 points of ${repeated.data} are the same point: the data have no spread to learn`]);
    const fine = await run('fine.csv', '1,2\n2,1\n3,5\n');
    expect(fine.warnings).toEqual([]);
  });
});
