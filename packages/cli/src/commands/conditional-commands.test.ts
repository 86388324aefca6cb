import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataFile } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');

describe('conditional data, training and sampling from the command line', () => {
  it('8gaussians with mode labels: train with --labels and --condition-dropout, sample a class with guidance; bad input exits 2 with one line and writes nothing', async () => {
    const dir = scratchDir();
    const data = join(dir, 'd.csv');
    const labels = join(dir, 'y.csv');
    const made = await runPfm(['data', '8gaussians', '-n', '2000', '--seed', '1', '--backend', 'cpu', '--out', data, '--labels', labels]);
    expect(made.code, made.stderr).toBe(0);
    const table = await readDataFile(labels);
    expect([table.rows, table.cols, table.header]).toEqual([2000, 1, ['label']]);
    expect(new Set(table.values)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));

    const model = join(dir, 'm.json');
    const trained = await runPfm(['train', '--data', data, '--labels', labels, '--condition-dropout', '0.1', '--method', 'flow-matching', '--steps', '60', '--batch-size', '128', '--backend', 'cpu', '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    // A conditional run is planned too (its probes get a label): the first line says its memory.
    expect(trained.stderr).toMatch(/^training flow-matching on .*d\.csv \(2000 points of dim 2\), 60 steps of batch 128, backend cpu, about [\d.]+ (KiB|MiB) of memory$/m);
    const out = join(dir, 's.csv');
    const sampled = await runPfm(['sample', '--model', model, '-n', '50', '--class', '3', '--guidance', '2', '--steps', '10', '--backend', 'cpu', '--out', out]);
    expect(sampled.code, sampled.stderr).toBe(0);
    expect((await readDataFile(out)).rows).toBe(50);

    const scratch = scratchDir();
    const bad = async (args: string[]) => {
      const r = await runPfm([...args, '--backend', 'cpu']);
      expect(r.code).toBe(2);
      return errorLineOf(r);
    };
    expect(await bad(['sample', '--model', model, '-n', '5', '--class', '8', '--out', join(scratch, 'a.csv')])).toBe(
      'pfm sample: --class: label 8 is not a class of this model; expected an integer in 0…7',
    );
    expect(await bad(['sample', '--model', model, '-n', '5', '--out', join(scratch, 'a.csv')])).toBe(`pfm sample: ${model} is conditioned on class labels 0…7: give --class K or --labels FILE`);
    writeFileSync(join(dir, 'three.csv'), 'label\n0\n1\n2\n');
    expect(await bad(['sample', '--model', model, '-n', '5', '--labels', join(dir, 'three.csv'), '--out', join(scratch, 'a.csv')])).toBe(
      `pfm sample: --labels ${join(dir, 'three.csv')}: has 3 labels, expected one per data row (5)`,
    );
    expect(await bad(['sample', '--model', fx.model, '-n', '5', '--class', '1', '--out', join(scratch, 'a.csv')])).toBe(
      `pfm sample: --class/--labels: ${fx.model} is an unconditional model (trained without --labels)`,
    );
    const plain = join(dir, 'plain.json');
    const noDropout = await runPfm(['train', '--data', data, '--labels', labels, '--method', 'flow-matching', '--steps', '2', '--batch-size', '64', '--backend', 'cpu', '-q', '--out', plain]);
    expect(noDropout.code, noDropout.stderr).toBe(0);
    expect(await bad(['sample', '--model', plain, '-n', '5', '--class', '1', '--guidance', '2', '--out', join(scratch, 'a.csv')])).toBe(
      `pfm sample: --guidance 2: ${plain} was trained without condition dropout, so only guidance 1 is defined (train with --condition-dropout P)`,
    );
    expect(await bad(['train', '--data', data, '--labels', join(dir, 'three.csv'), '--method', 'flow-matching', '--steps', '2', '--out', join(scratch, 'm.json')])).toBe(
      `pfm train: --labels ${join(dir, 'three.csv')}: has 3 labels, expected one per data row (2000)`,
    );
    expect(await bad(['train', '--data', data, '--labels', labels, '--method', 'cnf', '--steps', '2', '--out', join(scratch, 'm.json')])).toMatch(
      /^pfm train: bad config: config\.method: "cnf" does not support conditional data \(class labels 0…7\)/,
    );
    expect(readdirSync(scratch)).toEqual([]);
    expect(existsSync(join(scratch, 'm.json'))).toBe(false);
  }, 600_000);
});
