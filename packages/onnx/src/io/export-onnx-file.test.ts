import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, gaussian, modelFromContent, trainRecipe } from '@pfm/core';
import { readModelFile, saveModel } from '@pfm/core/node';
import { createDefaultRegistry } from '@pfm/plugins';
import { exportOnnxFile } from './export-onnx-file.js';
import { readOnnxSampler } from './read-onnx-sampler.js';

const registry = createDefaultRegistry();
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pfm-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exportOnnxFile / readOnnxSampler', () => {
  it('a saved model file, loaded as the command line does, samples the same in onnxruntime-node', async () => {
    const before = tf.memory().numTensors;
    const data = gaussian({ mean: [0, 2], std: 0.3 }).sample(64, createRng(0));
    const { model } = await trainRecipe({ method: 'flow-matching', options: { sampler: { integrator: 'rk4', steps: 8 } }, model: { hidden: [8, 8] }, steps: 3, batchSize: 16, seed: 1 }, data, { registry });
    data.dispose();
    const modelPath = join(dir, 'fm.json');
    await saveModel(modelPath, model, registry, { weights: 'binary' });
    model.dispose();

    const loaded = modelFromContent(await readModelFile(modelPath), registry, modelPath);
    const onnxPath = join(dir, 'fm.onnx');
    await exportOnnxFile(loaded, onnxPath);
    const sampler = await readOnnxSampler(onnxPath, ort);
    expect(sampler.metadata).toMatchObject({ kind: 'velocity-field', integrator: 'rk4', steps: 8 });
    const expected = tf.tidy(() => loaded.sample(16, createRng(4)).dataSync() as Float32Array).slice();
    const ours = await sampler.sample(16, createRng(4));
    let worst = 0;
    ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!))));
    expect(worst).toBeLessThanOrEqual(1e-5);
    await sampler.release();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an unsupported model leaves no file behind', async () => {
    const before = tf.memory().numTensors;
    const data = gaussian({ mean: [0, 2], std: 0.3 }).sample(64, createRng(0));
    const { model } = await trainRecipe({ method: 'realnvp', options: {}, model: { hidden: [8] }, steps: 1, batchSize: 16, seed: 1 }, data, { registry });
    data.dispose();
    const path = join(dir, 'nvp.onnx');
    await expect(exportOnnxFile(model, path)).rejects.toThrow(/"realnvp" model .* has no ONNX export/);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).filter((f) => f.includes('nvp'))).toEqual([]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
