// Training on images and drawing them: .npy of shape (n, h, w, c), PNG folders and mnist through
// pfm train, the eventShape in the model file, and pfm sample to .csv, .npy and a PNG grid.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataFile, writeDataFile } from '@pfm/core/node';
import { encodePngGrid, readPngFolder } from '@pfm/datasets/node';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { IMAGE_SAMPLE_CHUNK } from './sample-command.js';
import { readJson, scratchDir } from '../test-support/scratch.js';

const fx = inject('fixtures');
// A quick one-step generator: a few steps are enough to have a model file to sample from.
const QUICK = ['--method', 'mmd', '--steps', '3', '--batch-size', '8', '--backend', 'cpu'];

let dir = '';
let imageModel = '';
beforeAll(async () => {
  dir = scratchDir();
  // 40 grey images of 6 × 5 (h × w), values in [0, 1].
  const values = Float32Array.from({ length: 40 * 30 }, (_, k) => ((k * 7919) % 101) / 100);
  await writeDataFile(join(dir, 'images.npy'), { rows: 40, cols: 30, values, shape: [6, 5, 1] });
  imageModel = join(dir, 'image-model.json');
  const r = await runPfm(['train', '--data', join(dir, 'images.npy'), ...QUICK, '--quiet', '--out', imageModel]);
  if (r.code !== 0) throw new Error(r.stderr);
});

describe('pfm train on images', () => {
  it('an .npy of shape (n, h, w, c) trains on flat rows and the model file records eventShape', () => {
    const file = readJson(imageModel);
    expect(file.dim).toBe(30);
    expect(file.eventShape).toEqual([6, 5, 1]);
    // The flags win over the method's image defaults (a batch of 64; no weight average for a generator).
    expect(file.training.recipe.batchSize).toBe(8);
    expect('ema' in file.training.recipe).toBe(false);
    // Vector data: no eventShape and no image defaults, as before.
    expect('eventShape' in readJson(fx.model)).toBe(false);
    expect('ema' in readJson(fx.model).training.recipe).toBe(false);
  });

  it('the method fills what the recipe leaves out with its image defaults (a VAE: 16-d latent, continuous Bernoulli)', async () => {
    const out = join(dir, 'vae-images.json');
    const r = await runPfm(['train', '--data', join(dir, 'images.npy'), '--method', 'vae', '--steps', '1', '--batch-size', '8', '--backend', 'cpu', '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const { options } = readJson(out).training.recipe;
    expect(options).toMatchObject({ latentDim: 16, likelihood: 'continuous-bernoulli', dequantize: true });
    // Vector data keep the schema defaults.
    expect(readJson(fx.model).training.recipe.batchSize).not.toBe(64);
  });

  it('a folder of PNG images trains with shape [h, w, c]; a file of another size is an error naming it', async () => {
    const folder = join(dir, 'pngs');
    mkdirSync(folder);
    // Each file: one 3 × 2 RGB image with a 1-pixel gutter, so 5 × 4 pixels, 3 channels.
    for (let i = 0; i < 6; i++) {
      const values = Float32Array.from({ length: 18 }, (_, k) => ((i + k) % 5) / 4);
      writeFileSync(join(folder, `img-${i}.png`), encodePngGrid({ rows: 1, cols: 18, values, shape: [3, 2, 3] }, { gutter: 1 }));
    }
    const out = join(dir, 'png-model.json');
    const r = await runPfm(['train', '--data', folder, ...QUICK, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`training mmd on ${folder} (6 images of 5×4×3)`);
    expect(readJson(out).eventShape).toEqual([5, 4, 3]);

    writeFileSync(join(folder, 'img-3.png'), encodePngGrid({ rows: 1, cols: 4, values: new Float32Array(4), shape: [2, 2, 1] }, { gutter: 1 }));
    const line = errorLineOf(await runPfm(['train', '--data', folder, ...QUICK, '--out', join(dir, 'never.json')]));
    expect(line).toBe(`pfm train: ${join(folder, 'img-3.png')}: 4×4 with 1 channel (grey), expected 4×5 with 3 channels (RGB) like img-0.png (every image of a folder must have one size)`);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  it('--data mnist trains on its training split, 28×28×1', async () => {
    const out = join(dir, 'mnist-model.json');
    const r = await runPfm(['train', '--data', 'mnist', '--method', 'mmd', '--steps', '1', '--batch-size', '4', '--backend', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('training mmd on mnist (9000 images of 28×28×1)');
    const file = readJson(out);
    expect([file.dim, file.eventShape]).toEqual([784, [28, 28, 1]]);
  });

  it('refuses an .npy of rank 5, a generator given as --data and a name that is nothing; nothing is written', async () => {
    const bad = join(dir, 'rank5.npy');
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1), }";
    const text = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    writeFileSync(bad, Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]), Buffer.from(text, 'latin1'), Buffer.alloc(4)]));
    const scratch = scratchDir();
    const out = join(scratch, 'm.json');
    expect(errorLineOf(await runPfm(['train', '--data', bad, ...QUICK, '--out', out]))).toBe(
      `pfm train: ${bad}: shape (1, 1, 1, 1, 1) has 5 dimensions (expected (n,), (n, d), (n, h, w) or (n, h, w, c))`,
    );
    expect(errorLineOf(await runPfm(['train', '--data', 'moons', ...QUICK, '--out', out]))).toMatch(/^pfm train: --data moons: the data set moons has no fixed set of points/);
    expect(errorLineOf(await runPfm(['train', '--data', 'no-such-thing', ...QUICK, '--out', out]))).toMatch(/^pfm train: --data no-such-thing: no such file or folder, and no data set with this id/);
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('pfm sample from a model of images', () => {
  it('--out .npy keeps (n, h, w, c), .csv writes flat rows of the same values, --grid draws them as a PNG', async () => {
    const out = scratchDir();
    const r = await runPfm(['sample', '--model', imageModel, '-n', '10', '--seed', '4', '--backend', 'cpu', '--out', join(out, 's.npy'), '--grid', join(out, 'g.png'), '--grid-cols', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^sampled 10 points \(dim 30, shape \[6, 5, 1\]\) from the mmd model .*; wrote .*s\.npy and .*g\.png\n$/);
    const npy = await readDataFile(join(out, 's.npy'));
    expect([npy.rows, npy.cols, npy.shape]).toEqual([10, 30, [6, 5, 1]]);
    const csv = join(out, 's.csv');
    expect((await runPfm(['sample', '--model', imageModel, '-n', '10', '--seed', '4', '--backend', 'cpu', '--out', csv])).code).toBe(0);
    const flat = await readDataFile(csv);
    expect([flat.rows, flat.cols, flat.shape]).toEqual([10, 30, undefined]);
    expect(Array.from(flat.values)).toEqual(Array.from(npy.values));
    expect(readFileSync(csv, 'utf8').split('\n')[0]!.split(',')).toHaveLength(30);

    // The grid: 4 tiles of 5 × 6 per row, 3 rows, 2-pixel gutters; tile k holds sample k clipped to [0, 1].
    mkdirSync(join(out, 'grid'));
    writeFileSync(join(out, 'grid', 'g.png'), readFileSync(join(out, 'g.png')));
    const picture = await readPngFolder(join(out, 'grid'));
    expect(picture.shape).toEqual([3 * 6 + 4 * 2, 4 * 5 + 5 * 2, 1]);
    const width = picture.shape[1]!;
    for (const k of [0, 5, 9]) {
      for (const [y, x] of [[0, 0], [5, 4], [2, 3]] as const) {
        const top = 2 + Math.floor(k / 4) * 8;
        const left = 2 + (k % 4) * 7;
        const v = Math.min(1, Math.max(0, npy.values[k * 30 + y * 5 + x]!));
        expect(picture.values[(top + y) * width + left + x]).toBeCloseTo(Math.round(v * 255) / 255, 6);
      }
    }
  });

  it('draws images in chunks of IMAGE_SAMPLE_CHUNK, each from its own stream, so a longer run extends a shorter one', async () => {
    const out = scratchDir();
    const sample = async (n: number, name: string) => {
      const r = await runPfm(['sample', '--model', imageModel, '-n', String(n), '--seed', '2', '--backend', 'cpu', '--out', join(out, name)]);
      expect(r.code, r.stderr).toBe(0);
      return readDataFile(join(out, name));
    };
    const short = await sample(IMAGE_SAMPLE_CHUNK, 'short.npy');
    const long = await sample(IMAGE_SAMPLE_CHUNK + 5, 'long.npy');
    expect(long.rows).toBe(IMAGE_SAMPLE_CHUNK + 5);
    expect(Array.from(long.values.subarray(0, short.values.length))).toEqual(Array.from(short.values));
    // The last five come from the second chunk's stream, not a repeat of the first chunk.
    const tail = long.values.subarray(IMAGE_SAMPLE_CHUNK * 30);
    expect(Array.from(tail)).not.toEqual(Array.from(short.values.subarray(0, tail.length)));
  });

  it('refuses --grid for a model without an image eventShape, a non-PNG name, --grid-cols alone and no output; nothing is written', async () => {
    const out = scratchDir();
    const vector = errorLineOf(await runPfm(['sample', '--model', fx.model, '-n', '4', '--backend', 'cpu', '--out', join(out, 's.csv'), '--grid', join(out, 'g.png')]));
    expect(vector).toBe(
      `pfm sample: --grid needs a model of images, but ${fx.model} has no eventShape: it samples vectors of dim 2 (train on images — an .npy of shape (n, h, w, c), a folder of PNGs or mnist — to get one)`,
    );
    const twoChannels = join(out, 'two-channels.json');
    const file = readJson(imageModel);
    file.eventShape = [3, 5, 2];
    writeFileSync(twoChannels, JSON.stringify(file));
    expect(errorLineOf(await runPfm(['sample', '--model', twoChannels, '-n', '4', '--backend', 'cpu', '--grid', join(out, 'g.png')]))).toBe(
      `pfm sample: --grid needs images of shape [h, w, c] with c = 1 (grey) or 3 (RGB), but ${twoChannels} samples shape [3, 5, 2]`,
    );
    file.eventShape = [28, 28, 1];
    writeFileSync(twoChannels, JSON.stringify(file));
    expect(errorLineOf(await runPfm(['sample', '--model', twoChannels, '-n', '4', '--backend', 'cpu', '--grid', join(out, 'g.png')]))).toBe(
      `pfm sample: ${twoChannels}: eventShape: shape [28,28,1] holds 784 values per sample, but dim is 30`,
    );
    expect(errorLineOf(await runPfm(['sample', '--model', imageModel, '-n', '4', '--backend', 'cpu', '--grid', join(out, 'g.jpg')]))).toBe(
      `pfm sample: --grid ${join(out, 'g.jpg')}: the picture is written as PNG, its name must end in .png`,
    );
    expect(errorLineOf(await runPfm(['sample', '--model', imageModel, '-n', '4', '--backend', 'cpu', '--grid-cols', '2', '--out', join(out, 's.csv')]))).toBe(
      'pfm sample: --grid-cols needs --grid PICTURE.png',
    );
    expect(errorLineOf(await runPfm(['sample', '--model', imageModel, '-n', '4', '--backend', 'cpu']))).toBe('pfm sample: --out or --grid is required (see pfm sample --help)');
    expect(readdirSync(out)).toEqual(['two-channels.json']);
  });
});
