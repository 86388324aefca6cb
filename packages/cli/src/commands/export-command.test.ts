// `pfm export --format safetensors`: the weights as safetensors with a sidecar that is itself a
// model file; unknown formats list the known ones; nothing is written on a bad input.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSafetensors, safetensorsToFloat32 } from '@pfm/core';
import { readDataFile, readModelFile } from '@pfm/core/node';
import { readOnnxSampler } from '@pfm/onnx/node';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { errorLineOf, runPfm } from '../test-support/run-pfm.js';
import { scratchDir } from '../test-support/scratch.js';

const FIXTURE = fileURLToPath(new URL('../test-support/torch-velocity/', import.meta.url));

describe('pfm export', () => {
  it('safetensors: one F32 tensor per weight and a sidecar model file that samples the same points', async () => {
    const dir = scratchDir();
    const model = join(dir, 'cfm.json');
    const imported = await runPfm(['import', '--from', 'torch', '--arch', 'torchcfm-mlp', '--weights', join(FIXTURE, 'weights.safetensors'), '--method', 'flow-matching', '--out', model]);
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(dir, 'exported.safetensors');
    const r = await runPfm(['export', '--model', model, '--format', 'safetensors', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`exported the flow-matching model ${model} (8 weights) as safetensors; wrote ${out} and ${join(dir, 'exported.json')}\n`);
    const { tensors, metadata } = decodeSafetensors(readFileSync(out));
    expect(metadata).toEqual({ format: 'pfm-model', method: 'flow-matching' });
    expect(tensors.map((t) => `${t.name} ${t.dtype} [${t.shape.join(', ')}]`)).toEqual([
      'velocity.layer0.kernel F32 [3, 32]',
      'velocity.layer0.bias F32 [32]',
      'velocity.layer1.kernel F32 [32, 32]',
      'velocity.layer1.bias F32 [32]',
      'velocity.layer2.kernel F32 [32, 32]',
      'velocity.layer2.bias F32 [32]',
      'velocity.layer3.kernel F32 [32, 2]',
      'velocity.layer3.bias F32 [2]',
    ]);
    const original = await readModelFile(model);
    const sidecar = await readModelFile(join(dir, 'exported.json'));
    expect(sidecar.method).toBe('flow-matching');
    expect(sidecar.options).toEqual(original.options);
    expect(sidecar.training).toEqual(original.training);
    expect(Array.from(safetensorsToFloat32(tensors[6]!))).toEqual(Array.from(original.maps.velocity!.weights[6]!.values));
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const noise = join(FIXTURE, 'noise.npy');
    expect((await runPfm(['sample', '--model', model, '--noise', noise, '--steps', '10', '--backend', 'cpu', '--out', a])).code).toBe(0);
    expect((await runPfm(['sample', '--model', join(dir, 'exported.json'), '--noise', noise, '--steps', '10', '--backend', 'cpu', '--out', b])).code).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
  });

  it('onnx: the velocity field as a graph onnxruntime integrates to the samples of pfm sample --noise', async () => {
    const dir = scratchDir();
    const model = join(dir, 'cfm.json');
    const imported = await runPfm(['import', '--from', 'torch', '--arch', 'torchcfm-mlp', '--weights', join(FIXTURE, 'weights.safetensors'), '--method', 'flow-matching', '--out', model]);
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(dir, 'cfm.onnx');
    const r = await runPfm(['export', '--model', model, '--format', 'onnx', '--backend', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const samples = join(dir, 'pfm.csv');
    const noise = join(FIXTURE, 'noise.npy');
    expect((await runPfm(['sample', '--model', model, '--noise', noise, '--integrator', 'euler', '--steps', '10', '--backend', 'cpu', '--out', samples])).code).toBe(0);
    const z = await readDataFile(noise);
    const expected = await readDataFile(samples);
    const sampler = await readOnnxSampler(out, ort);
    try {
      const x = await sampler.transport(Float32Array.from(z.values), z.rows, { integrator: 'euler', steps: 10 });
      expect(x).toHaveLength(expected.values.length);
      const worst = x.reduce((m, v, i) => Math.max(m, Math.abs(v - expected.values[i]!)), 0);
      expect(worst).toBeLessThan(1e-5);
    } finally {
      await sampler.release();
    }
  });

  it('onnx: a conditional flow (with its guidance input) and a conditional generator give the samples of pfm sample --noise --labels/--class', async () => {
    const dir = scratchDir();
    const data = join(dir, 'd.csv');
    const labels = join(dir, 'y.csv');
    // 256 points around 8 centres on a circle, each labelled with its centre.
    const points = Array.from({ length: 256 }, (_, i) => [2 * Math.cos((i % 8) * (Math.PI / 4)) + 0.1 * Math.sin(i), 2 * Math.sin((i % 8) * (Math.PI / 4)) + 0.1 * Math.cos(i)]);
    writeFileSync(data, `x,y\n${points.map((p) => p.join(',')).join('\n')}\n`);
    writeFileSync(labels, `label\n${points.map((_, i) => i % 8).join('\n')}\n`);
    const rows = 10;
    const z = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(2.3 * i + 0.4));
    const noise = join(dir, 'z.csv');
    writeFileSync(noise, Array.from({ length: rows }, (_, i) => `${z[2 * i]},${z[2 * i + 1]}`).join('\n') + '\n');
    const classes = Int32Array.from({ length: rows }, (_, i) => (3 * i) % 8);
    const sampleLabels = join(dir, 'classes.csv');
    writeFileSync(sampleLabels, `label\n${Array.from(classes).join('\n')}\n`);
    const cases = [
      { method: 'flow-matching', train: ['--condition-dropout', '0.2'], sample: ['--labels', sampleLabels, '--guidance', '2', '--integrator', 'euler', '--steps', '5'], onnx: { condition: classes, guidance: 2, integrator: 'euler', steps: 5 } as const },
      { method: 'energy', train: [], sample: ['--class', '5'], onnx: { condition: 5 } },
    ];
    for (const c of cases) {
      const model = join(dir, `${c.method}.json`);
      const trained = await runPfm(['train', '--data', data, '--labels', labels, ...c.train, '--method', c.method, '--steps', '3', '--batch-size', '64', '--backend', 'cpu', '-q', '--out', model]);
      expect(trained.code, trained.stderr).toBe(0);
      const out = join(dir, `${c.method}.onnx`);
      const exported = await runPfm(['export', '--model', model, '--format', 'onnx', '--backend', 'cpu', '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      const samples = join(dir, `${c.method}.csv`);
      const sampled = await runPfm(['sample', '--model', model, '--noise', noise, ...c.sample, '--backend', 'cpu', '--out', samples]);
      expect(sampled.code, sampled.stderr).toBe(0);
      const expected = await readDataFile(samples);
      const sampler = await readOnnxSampler(out, ort);
      try {
        expect(sampler.metadata.condition).toEqual({ kind: 'class', classes: 8 });
        const x = await sampler.transport(z, rows, c.onnx);
        expect(x).toHaveLength(expected.values.length);
        const worst = x.reduce((m, v, i) => Math.max(m, Math.abs(v - expected.values[i]!)), 0);
        expect(worst, c.method).toBeLessThan(1e-5);
      } finally {
        await sampler.release();
      }
    }
  });

  it('an unknown format lists the known ones; a bad model or a clash with --model writes nothing', async () => {
    const dir = scratchDir();
    const model = join(dir, 'm.json');
    const unknown = errorLineOf(await runPfm(['export', '--model', model, '--format', 'tflite', '--out', join(dir, 'm.tflite')]));
    expect(unknown).toBe('pfm export: --format: unknown format "tflite"; known formats: safetensors, onnx');
    const extension = errorLineOf(await runPfm(['export', '--model', model, '--format', 'safetensors', '--out', join(dir, 'm.bin')]));
    expect(extension).toBe(`pfm export: --out ${join(dir, 'm.bin')}: a safetensors file is named NAME.safetensors`);
    writeFileSync(model, '{"format": "pfm-model", "version": 1, "method": "flow-matching"');
    const bad = errorLineOf(await runPfm(['export', '--model', model, '--format', 'safetensors', '--out', join(dir, 'x.safetensors')]));
    expect(bad).toMatch(new RegExp(`^pfm export: ${model}: not valid JSON`));
    const clash = errorLineOf(await runPfm(['export', '--model', model, '--format', 'safetensors', '--out', join(dir, 'm.safetensors')]));
    expect(clash).toBe(`pfm export: --out ${join(dir, 'm.safetensors')}: its file ${model} would replace --model ${model}; choose another name`);
    expect(existsSync(join(dir, 'x.safetensors')) || existsSync(join(dir, 'x.json')) || existsSync(join(dir, 'm.safetensors'))).toBe(false);
  });
});
