import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import { sampleDataset } from '@pfm/datasets';
import { mnist, readMnist } from '@pfm/datasets/node';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { errorLineOf, FIXTURE_PLUGIN, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

describe('pfm data', () => {
  it('writes exactly the points of the seeded generator', async () => {
    const dir = scratchDir();
    // Reference: the same data set drawn in this process, on the same (cpu) backend.
    const expected = sampleDataset('moons', 300, 7);
    expect(Array.from(expected.values)).not.toEqual(Array.from(sampleDataset('moons', 300, 0).values));
    const out = join(dir, 'moons.csv');
    const r = await runPfm(['data', 'moons', '-n', '300', '--seed', '7', '--backend', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote 300 points of moons (dim 2, seed 7) to ${out}\n`);
    const table = await readDataFile(out);
    expect([table.rows, table.cols]).toEqual([300, 2]);
    // CSV holds the shortest decimal that reads back as the same float32: exact equality.
    expect(Array.from(table.values)).toEqual(Array.from(expected.values));
  });

  it("takes the data set's options from --config, validated by its schema", async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'torchcfm.json'), JSON.stringify({ variant: 'torchcfm' }));
    const r = await runPfm(['data', 'moons', '-n', '50', '--seed', '2', '--config', join(dir, 'torchcfm.json'), '--backend', 'cpu', '--out', join(dir, 'm.json')]);
    expect(r.code, r.stderr).toBe(0);
    const table = await readDataFile(join(dir, 'm.json'));
    expect(Array.from(table.values)).toEqual(Array.from(sampleDataset('moons', 50, 2, { variant: 'torchcfm' }).values));

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ noise: -1 }));
    const bad = errorLineOf(await runPfm(['data', 'moons', '-n', '50', '--config', join(dir, 'bad.json'), '--backend', 'cpu', '--out', join(dir, 'bad.csv')]));
    expect(bad).toMatch(/^pfm data: bad options for dataset "moons": .*bad\.json\.noise: /);
    expect(existsSync(join(dir, 'bad.csv'))).toBe(false);
  });

  it('an unknown id lists the known ones; a bad extension or directory fails before writing anything', async () => {
    const dir = scratchDir();
    const unknown = errorLineOf(await runPfm(['data', 'moon', '-n', '5', '--backend', 'cpu', '--out', join(dir, 'a.csv')]));
    expect(unknown).toMatch(/^pfm data: unknown dataset "moon"; known dataset ids: .*\b8gaussians\b.*\bmoons\b/);
    const extension = errorLineOf(await runPfm(['data', 'moons', '-n', '5', '--backend', 'cpu', '--out', join(dir, 'a.txt')]));
    expect(extension).toBe(`pfm data: ${join(dir, 'a.txt')}: unknown data file extension ".txt" (known: .csv, .json, .npy)`);
    const missingDir = errorLineOf(await runPfm(['data', 'moons', '-n', '5', '--backend', 'cpu', '--out', join(dir, 'no', 'a.csv')]));
    expect(missingDir).toContain(`the directory "${join(dir, 'no')}" does not exist`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("uses a --plugin module's data sets", async () => {
    const dir = scratchDir();
    const r = await runPfm(['data', 'fixture-line', '-n', '20', '--plugin', FIXTURE_PLUGIN, '--backend', 'cpu', '--out', join(dir, 'line.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const table = await readDataFile(join(dir, 'line.csv'));
    for (let i = 0; i < 20; i++) expect(table.values[2 * i + 1]).toBe(2 * table.values[2 * i]!);
  });

  it('writes a split of mnist whole and in order as (n, 28, 28, 1) to .npy; -n draws seeded images, flat rows in CSV', async () => {
    const before = tf.memory().numTensors;
    const dir = scratchDir();
    const npy = join(dir, 'digits.npy');
    const r = await runPfm(['data', 'mnist', '--split', 'test', '--backend', 'cpu', '--out', npy]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote 1000 points of mnist (split test, dim 784, shape [28, 28, 1], all of them, in order) to ${npy}\n`);
    expect(readFileSync(npy).subarray(10, 80).toString('latin1')).toContain("'shape': (1000, 28, 28, 1)");
    const table = await readDataFile(npy);
    const expected = readMnist({ split: 'test' });
    expect([table.rows, table.cols, table.shape]).toEqual([1000, 784, [28, 28, 1]]);
    expect(Array.from(table.values)).toEqual(Array.from(expected.values));

    const csv = join(dir, 'digits.csv');
    const drawn = await runPfm(['data', 'mnist', '--split', 'test', '-n', '6', '--seed', '3', '--backend', 'cpu', '--out', csv]);
    expect(drawn.code, drawn.stderr).toBe(0);
    const rows = await readDataFile(csv);
    expect([rows.rows, rows.cols, rows.shape]).toEqual([6, 784, undefined]);
    const measure = mnist({ split: 'test' });
    const reference = measure.sample(6, createRng(3));
    expect(Array.from(rows.values)).toEqual(Array.from(reference.dataSync()));
    reference.dispose();
    measure.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('--split only for data sets with splits, only known splits; -n is needed for generators; nothing is written', async () => {
    const dir = scratchDir();
    const moons = errorLineOf(await runPfm(['data', 'moons', '-n', '5', '--split', 'test', '--backend', 'cpu', '--out', join(dir, 'a.csv')]));
    expect(moons).toBe('pfm data: --split does not apply to moons: it has no splits (--split applies to data sets with a "split" option, such as mnist)');
    const bad = errorLineOf(await runPfm(['data', 'mnist', '--split', 'validation', '--backend', 'cpu', '--out', join(dir, 'b.npy')]));
    expect(bad).toMatch(/^pfm data: bad options for dataset "mnist": options\.split: .*"train"\|"test"\|"all"/);
    const count = errorLineOf(await runPfm(['data', 'moons', '--backend', 'cpu', '--out', join(dir, 'c.csv')]));
    expect(count).toBe('pfm data: -n is required (see pfm data --help)');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--labels writes the label of each row of a whole labelled set beside it; mismatched or missing labels are errors', async () => {
    const dir = scratchDir();
    const plugin = fileURLToPath(new URL('../test-support/image-fixture-plugin.mjs', import.meta.url));
    const r = await runPfm(['data', 'mnist', '--split', 'test', '--backend', 'cpu', '--out', join(dir, 'd.npy'), '--labels', join(dir, 'l.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ to .*d\.npy and their labels to .*l\.csv\n$/);
    const labels = await readDataFile(join(dir, 'l.csv'));
    expect([labels.rows, labels.cols, labels.header]).toEqual([1000, 1, ['label']]);
    expect(Array.from(labels.values)).toEqual(Array.from(readMnist({ split: 'test' }).labels));

    const squares = await runPfm(['data', 'squares', '--plugin', plugin, '--backend', 'cpu', '--out', join(dir, 's.npy'), '--labels', join(dir, 's-labels.npy')]);
    expect(squares.code, squares.stderr).toBe(0);
    expect((await readDataFile(join(dir, 's.npy'))).shape).toEqual([2, 2, 1]);
    expect(Array.from((await readDataFile(join(dir, 's-labels.npy'))).values)).toEqual([0, 1, 2]);

    const scratch = scratchDir();
    const mismatch = errorLineOf(await runPfm(['data', 'mislabelled-squares', '--plugin', plugin, '--backend', 'cpu', '--out', join(scratch, 'a.npy'), '--labels', join(scratch, 'b.csv')]));
    expect(mismatch).toBe('pfm data: --labels: the data set mislabelled-squares has 2 labels for 3 rows');
    const drawn = errorLineOf(await runPfm(['data', 'mnist', '-n', '5', '--backend', 'cpu', '--out', join(scratch, 'a.npy'), '--labels', join(scratch, 'b.csv')]));
    expect(drawn).toBe('pfm data: --labels writes the labels of a whole data set, in order; leave out -n (seeded draws have no file of labels)');
    const none = errorLineOf(await runPfm(['data', 'unlabelled-squares', '--plugin', plugin, '--backend', 'cpu', '--out', join(scratch, 'a.csv'), '--labels', join(scratch, 'b.csv')]));
    expect(none).toBe('pfm data: --labels: the data set unlabelled-squares has no labels');
    expect(readdirSync(scratch)).toEqual([]);
  });
});
