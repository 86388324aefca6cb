// MNIST with its own labels from the command line: train a class-conditional flow on the digits
// (--labels mnist), sample a digit with guidance to a grid, and the one rule for image samples:
// written clipped to [0, 1] (--unclipped keeps the model's values).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataFile } from '@pfm/core/node';
import { describe, expect, inject, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { readJson, scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');
// A U-Net of 4 channels at one resolution: one training step of batch 8 on 28×28 takes about a second.
const TINY_UNET = { model: { channels: 4, channelMult: [1], groups: 2 } };

describe('class-conditional MNIST from the command line', () => {
  it('--data mnist --labels mnist trains on the digits; --class 7 --guidance 2 draws a grid; image samples are clipped to [0, 1] unless --unclipped', async () => {
    const dir = scratchDir();
    const config = join(dir, 'tiny.json');
    writeFileSync(config, JSON.stringify(TINY_UNET));
    const model = join(dir, 'digits.json');
    const common = ['--method', 'flow-matching', '--config', config, '--steps', '1', '--batch-size', '8', '--backend', 'cpu', '-q'];
    const trained = await runPfm(['train', '--data', 'mnist', '--labels', 'mnist', '--condition-dropout', '0.1', ...common, '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    const file = readJson(model);
    expect(file.condition).toEqual({ kind: 'class', classes: 10 });
    expect(file.eventShape).toEqual([28, 28, 1]);
    expect(file.maps.velocity.type).toBe('unet');
    expect(file.maps.velocity.options.condition).toMatchObject({ classes: 10 });

    const grid = join(dir, 'sevens.png');
    const out = join(dir, 'sevens.npy');
    const sampled = await runPfm(['sample', '--model', model, '-n', '4', '--class', '7', '--guidance', '2', '--steps', '2', '--backend', 'cpu', '--grid', grid, '--out', out]);
    expect(sampled.code, sampled.stderr).toBe(0);
    expect(readFileSync(grid).subarray(1, 4).toString()).toBe('PNG');
    // After one step the field is still near its zero start, so the samples are near the Gaussian
    // noise: most values lie outside [0, 1] and are clipped, and stderr counts them.
    const clipped = await readDataFile(out);
    expect(clipped.shape).toEqual([28, 28, 1]);
    expect(Math.min(...clipped.values)).toBe(0);
    expect(Math.max(...clipped.values)).toBe(1);
    const count = /; (\d+) of 3136 values clipped to \[0, 1\]; wrote /.exec(sampled.stderr);
    expect(count, sampled.stderr).not.toBeNull();
    const raw = join(dir, 'raw.npy');
    const unclipped = await runPfm(['sample', '--model', model, '-n', '4', '--class', '7', '--guidance', '2', '--steps', '2', '--backend', 'cpu', '--unclipped', '--out', raw]);
    expect(unclipped.code, unclipped.stderr).toBe(0);
    expect(unclipped.stderr).not.toMatch(/clipped/);
    const values = (await readDataFile(raw)).values;
    // Clipping is exactly min(1, max(0, v)) of the same samples, and it changed the counted values.
    expect(Array.from(clipped.values)).toEqual(Array.from(values, (v) => Math.min(1, Math.max(0, v))));
    expect(values.filter((v) => v < 0 || v > 1).length).toBe(Number(count![1]));
  }, 600_000);

  it('--labels ID needs the same data set as --data, and --unclipped a model of images; exit 2, one line, nothing written', async () => {
    const scratch = scratchDir();
    const bad = async (args: string[]) => errorLineOf(await runPfm([...args, '--backend', 'cpu']));
    expect(await bad(['train', '--data', fx.data, '--labels', 'mnist', '--method', 'flow-matching', '--steps', '1', '--out', join(scratch, 'm.json')])).toBe(
      `pfm train: --labels mnist: a data set's own labels go with its own points; use --data mnist too, or give a file of labels for --data ${fx.data}`,
    );
    expect(await bad(['sample', '--model', fx.model, '-n', '5', '--unclipped', '--out', join(scratch, 'a.csv')])).toMatch(
      /^pfm sample: --unclipped: .* samples vectors of dim 2, which are never clipped \(only the samples of an image model are\)$/,
    );
    expect(readdirSync(scratch)).toEqual([]);
  }, 120_000);
});
