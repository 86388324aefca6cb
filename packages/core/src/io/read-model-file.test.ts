import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import { readModelFile } from './read-model-file.js';
import { writeModelFile } from './write-model-file.js';
import { rejection } from './rejection-support.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pfm-io-model-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const content = (): ModelFileContent => ({
  method: 'mmd',
  options: { bandwidth: 0.5 },
  dim: 2,
  plugins: [{ name: '@pfm/ipm', version: '0.1.0' }],
  maps: {
    generator: {
      type: 'mlp',
      options: { hidden: [4] },
      weights: [
        { name: 'kernel', shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) },
        { name: 'bias', shape: [2], values: new Float32Array([-1, 0.5]) },
      ],
    },
  },
  extra: {},
});

describe('writeModelFile / readModelFile', () => {
  it('round-trips inline weights in one file', async () => {
    const path = join(dir, 'model.json');
    await writeModelFile(path, content());
    expect(await readdir(dir)).toEqual(['model.json']);
    const back = await readModelFile(path);
    expect(Array.from(back.maps.generator!.weights[1]!.values)).toEqual([-1, 0.5]);
    expect(back.options).toEqual({ bandwidth: 0.5 });
  });

  it('round-trips binary weights through a side file named after the model and its content', async () => {
    const path = join(dir, 'run.json');
    await writeModelFile(path, content(), { weights: 'binary' });
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^run\.[0-9a-f]{8}\.bin$/);
    expect(files[1]).toBe('run.json');
    expect(JSON.parse(await readFile(path, 'utf8')).weightsFile).toBe(files[0]);
    expect((await readFile(join(dir, files[0]!))).length).toBe(24);
    const back = await readModelFile(path);
    expect(Array.from(back.maps.generator!.weights[0]!.values)).toEqual([1, 2, 3, 4]);
  });

  it('replacing a binary model removes the old weights file; a failed JSON write keeps the old pair intact', async () => {
    const path = join(dir, 'run.json');
    await writeModelFile(path, content(), { weights: 'binary' });
    const changed = content();
    changed.maps.generator!.weights[0]!.values[0] = 42;
    await writeModelFile(path, changed, { weights: 'binary' });
    expect((await readdir(dir)).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect((await readModelFile(path)).maps.generator!.weights[0]!.values[0]).toBe(42);
    // A third version whose JSON cannot be written (NaN in training is refused by the encoder
    // only after the weights are encoded, so use a directory in place of the JSON instead).
    const blocked = join(dir, 'blocked.json');
    await writeModelFile(blocked, content(), { weights: 'binary' });
    const before = await readFile(blocked, 'utf8');
    await rm(blocked);
    await mkdir(blocked);
    await expect(writeModelFile(blocked, changed, { weights: 'binary' })).rejects.toThrow();
    await rm(blocked, { recursive: true });
    await writeFile(blocked, before);
    expect((await readModelFile(blocked)).maps.generator!.weights[0]!.values[0]).toBe(1);
  });

  it('refuses a weightsFile outside the model directory without reading it', async () => {
    const inner = join(dir, 'inner');
    await mkdir(inner);
    await writeModelFile(join(dir, 'model.json'), content(), { weights: 'binary' });
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    for (const name of ['../model.bin', `${dir}/model.bin`, 'inner/../model.bin']) {
      json.weightsFile = name;
      const path = join(inner, 'model.json');
      await writeFile(path, JSON.stringify(json));
      const error = await rejection(readModelFile(path), ModelFileError);
      expect(error.message).toBe(
        `${path}: weightsFile: expected a plain file name in the model's directory (no "/", "\\", ":" or ".."), got ${JSON.stringify(name)}`,
      );
    }
  });

  it('reports a missing or oversized weights file, and a missing model', async () => {
    const path = join(dir, 'model.json');
    await writeModelFile(path, content(), { weights: 'binary' });
    const bin = join(dir, JSON.parse(await readFile(path, 'utf8')).weightsFile as string);
    await expect(readModelFile(path, { maxWeightBytes: 16 })).rejects.toThrow(
      `${path}: weightsFile: the weights file "${bin}" has 24 bytes, more than the limit (16)`,
    );
    await rm(bin);
    expect((await rejection(readModelFile(path), ModelFileError)).message).toBe(`${path}: weightsFile: the weights file "${bin}" does not exist`);
    const missing = join(dir, 'none.json');
    expect((await rejection(readModelFile(missing), ModelFileError)).message).toBe(`${missing}: the file does not exist`);
    expect((await rejection(readModelFile(path, { maxJsonLength: 10 }), ModelFileError)).message).toMatch(/the file has \d+ bytes, more than the limit \(10\)$/);
  });

  it('a failed write leaves no half-written files', async () => {
    const bad = content();
    bad.maps.generator!.weights[0]!.values = new Float32Array([1, NaN, 3, 4]);
    const path = join(dir, 'model.json');
    await expect(writeModelFile(path, bad, { weights: 'binary' })).rejects.toThrow(
      `${path}: maps.generator.weights[0].values: value at index [0, 1] is NaN (weights must be finite)`,
    );
    expect(await readdir(dir)).toEqual([]);
    await expect(writeModelFile(join(dir, '.json'), content(), { weights: 'binary' })).rejects.toThrow(
      'with binary weights the model file needs a name such as "model.json"',
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
