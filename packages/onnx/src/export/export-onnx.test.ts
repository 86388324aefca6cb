import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  convGenerator,
  type ConvGeneratorOptions,
  createRng,
  gaussian,
  generatorModel,
  mlp,
  trainRecipe,
  unet,
  type Model,
  type UnetOptions,
  type VectorField,
} from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';
import { exportOnnx } from './export-onnx.js';
import { OnnxError } from './onnx-error.js';
import { readSamplerMetadata } from './read-sampler-metadata.js';
import { onnxProto } from '../proto/onnx-proto.js';
import { createOnnxSampler } from '../runtime/onnx-sampler.js';

const registry = createDefaultRegistry();

/** Largest |a − b| over two arrays of the same length. */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

async function trained(method: string, options: Record<string, unknown>, model: Record<string, unknown>): Promise<Model> {
  const data = gaussian({ mean: [1, -1, 0.5], std: 0.5 }).sample(128, createRng(1));
  try {
    const run = await trainRecipe({ method, options, model, steps: 4, batchSize: 32, seed: 3 }, data, { registry });
    return run.model;
  } finally {
    data.dispose();
  }
}

/** A flow-matching model around `field`, as a model file would rebuild it. */
function flowModelOf(field: VectorField): Model {
  const options = registry.parseOptions('objective', 'flow-matching', {}, 'flow-matching');
  return registry.get('objective', 'flow-matching').load({ options, dim: field.dim, maps: { velocity: field }, extra: {}, registry });
}

/** pfm's samples with the seed, as a flat array. */
function pfmSamples(model: Model, n: number, seed: number, options?: Record<string, unknown>): Float32Array {
  return tf.tidy(() => model.sample(n, createRng(seed), options).dataSync() as Float32Array).slice();
}

describe('exportOnnx: one-step generators in onnxruntime-node', () => {
  it.each([
    ['mmd', { noise: 'gaussian' }, { hidden: [16, 16], activation: 'silu' }],
    ['energy', { noise: 'uniform', latentDim: 5 }, { hidden: [8, 12], activation: 'gelu', outputActivation: 'tanh' }],
  ])('%s %j %j: samples equal pfm’s to 1e-5', async (method, options, network) => {
    const before = tf.memory().numTensors;
    const model = await trained(method, options, network);
    const bytes = exportOnnx(model);
    const sampler = await createOnnxSampler(bytes, ort);
    expect(sampler.metadata).toMatchObject({ kind: 'one-step', method, dim: 3, noise: options.noise });
    const ours = await sampler.sample(50, createRng(7));
    expect(maxAbsDiff(ours, pfmSamples(model, 50, 7))).toBeLessThanOrEqual(1e-5);
    expect(sampler.nfe()).toBe(1);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['relu', 'selu', 'elu', 'sigmoid', 'softplus', 'linear'] as const)('an mlp with %s hidden layers matches', async (activation) => {
    const before = tf.memory().numTensors;
    const generator = mlp({ inputDim: 4, outputDim: 2, hidden: [10, 6], activation, outputActivation: activation }, createRng(2));
    const model = generatorModel({ method: 'mmd', options: { latentDim: 4, noise: 'gaussian' }, generator });
    const sampler = await createOnnxSampler(exportOnnx(model, { opset: 18 }), ort);
    expect(maxAbsDiff(await sampler.sample(40, createRng(5)), pfmSamples(model, 40, 5))).toBeLessThanOrEqual(1e-5);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['nearest-conv, group norm, crop 7×6', { outputShape: [7, 6, 2], channels: [8, 8], norm: 'group', groups: 4 }, 17],
    ['transposed, no norm', { outputShape: [8, 8, 1], channels: [4, 4, 2], upsample: 'transposed', norm: 'none' }, 17],
    ['nearest-conv, group norm, opset 18', { outputShape: [4, 4, 3], channels: [4, 4], norm: 'group', groups: 2, activation: 'relu' }, 18],
  ] as [string, Omit<ConvGeneratorOptions, 'inputDim'>, number][])('a conv-generator (%s) matches', async (_name, options, opset) => {
    const before = tf.memory().numTensors;
    const generator = convGenerator({ inputDim: 5, ...options }, createRng(4));
    const model = generatorModel({ method: 'gan', options: { latentDim: 5, noise: 'gaussian' }, generator });
    const sampler = await createOnnxSampler(exportOnnx(model, { opset }), ort);
    expect(sampler.metadata.dim).toBe(generator.outputDim);
    expect(maxAbsDiff(await sampler.sample(6, createRng(9)), pfmSamples(model, 6, 9))).toBeLessThanOrEqual(1e-5);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('exportOnnx: velocity fields in onnxruntime-node', () => {
  it.each([
    ['concat time, silu', { hidden: [16, 16] }],
    ['sinusoidal time, gelu', { hidden: [12], activation: 'gelu', timeEmbedding: 'sinusoidal', embeddingFrequencies: 4, maxFrequency: 8 }],
  ])('%s: v(t, x) equals pfm’s to 1e-5', async (_name, network) => {
    const before = tf.memory().numTensors;
    const model = await trained('flow-matching', {}, network);
    const field = model.maps.velocity as VectorField;
    const sampler = await createOnnxSampler(exportOnnx(model), ort);
    expect(sampler.metadata).toMatchObject({ kind: 'velocity-field', dim: 3, t0: 0, t1: 1, integrator: 'euler', steps: 100 });
    const x = createRng(11).normalArray(20 * 3);
    const t = createRng(12).uniformArray(20);
    const expected = tf.tidy(() => field.evaluate(tf.tensor1d(t), tf.tensor2d(x, [20, 3])).dataSync() as Float32Array).slice();
    expect(maxAbsDiff(await sampler.velocity(t, x, 20), expected)).toBeLessThanOrEqual(1e-5);
    // The sampling loop outside the graph: 100 Euler steps as the model's own sampler.
    expect(maxAbsDiff(await sampler.sample(20, createRng(7)), pfmSamples(model, 20, 7))).toBeLessThanOrEqual(1e-5);
    expect(sampler.nfe({ integrator: 'rk4', steps: 5 })).toBe(20);
    expect(maxAbsDiff(await sampler.sample(20, createRng(8), { integrator: 'rk4', steps: 5 }), pfmSamples(model, 20, 8, { integrator: 'rk4', steps: 5 }))).toBeLessThanOrEqual(1e-5);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['euler', 100],
    ['rk4', 6],
    ['midpoint', 7],
    ['heun', 5],
  ] as const)('an unrolled %s sampler with %i steps equals pfm’s', async (integrator, steps) => {
    const before = tf.memory().numTensors;
    const model = await trained('flow-matching', {}, { hidden: [16, 16] });
    const bytes = exportOnnx(model, { graph: 'sampler', integrator, steps });
    const sampler = await createOnnxSampler(bytes, ort);
    expect(sampler.metadata).toMatchObject({ kind: 'fixed-step-sampler', integrator, steps });
    // Weights are stored once however many evaluations the graph holds.
    const graph = onnxProto.decode(bytes).graph;
    expect(graph.initializer.filter((i) => i.name?.includes('kernel')).length).toBe(3);
    expect(maxAbsDiff(await sampler.sample(30, createRng(3)), pfmSamples(model, 30, 3, { integrator, steps }))).toBeLessThanOrEqual(1e-5);
    await expect(sampler.sample(2, createRng(0), { steps: 3 })).rejects.toThrow(/fixed in this graph/);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([19, 20, 21])('opset %i runs in onnxruntime-node with the same numbers', async (opset) => {
    const before = tf.memory().numTensors;
    const model = await trained('flow-matching', {}, { hidden: [8, 8] });
    const bytes = exportOnnx(model, { graph: 'sampler', integrator: 'euler', steps: 4, opset });
    expect(onnxProto.decode(bytes).opsetImport[0]!.version).toBe(opset);
    const sampler = await createOnnxSampler(bytes, ort);
    expect(maxAbsDiff(await sampler.sample(10, createRng(1)), pfmSamples(model, 10, 1, { integrator: 'euler', steps: 4 }))).toBeLessThanOrEqual(1e-5);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['7×6×1, two levels, padded and cropped', { shape: [7, 6, 1], channels: 4, channelMult: [1, 2], groups: 2, finalScale: 1 }, 17, 'midpoint', 2],
    ['4×4×2, three levels, two blocks, opset 18', { shape: [4, 4, 2], channels: 4, channelMult: [1, 1, 2], blocks: 2, groups: 4, timeFrequencies: 3, finalScale: 1 }, 18, 'euler', 1],
  ] as [string, UnetOptions, number, 'euler' | 'midpoint', number][])('a unet velocity field (%s) equals pfm’s, as v(t, x) and unrolled', async (_name, options, opset, integrator, steps) => {
    const before = tf.memory().numTensors;
    const field = unet(options, createRng(6));
    const model = flowModelOf(field);
    const network = await createOnnxSampler(exportOnnx(model, { opset }), ort);
    const n = 3;
    const x = createRng(11).normalArray(n * field.dim);
    const t = Float32Array.from([0, 0.37, 1]);
    const expected = tf.tidy(() => field.evaluate(tf.tensor1d(t), tf.tensor2d(x, [n, field.dim])).dataSync() as Float32Array).slice();
    expect(maxAbsDiff(await network.velocity(t, x, n), expected)).toBeLessThanOrEqual(1e-5);
    const unrolled = await createOnnxSampler(exportOnnx(model, { opset, graph: 'sampler', integrator, steps }), ort);
    expect(maxAbsDiff(await unrolled.sample(n, createRng(2)), pfmSamples(model, n, 2, { integrator, steps }))).toBeLessThanOrEqual(1e-5);
    await network.release();
    await unrolled.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a fixed batch size is written into the graph', async () => {
    const before = tf.memory().numTensors;
    const model = await trained('flow-matching', {}, { hidden: [8] });
    const graph = onnxProto.decode(exportOnnx(model, { batchSize: 4 })).graph;
    expect(graph.input.map((i) => i.type.tensorType.shape.dim.map((d) => d.dimValue ?? d.dimParam))).toEqual([[4], [4, 3]]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('exportOnnx: the file', () => {
  it('is a ModelProto with opset 17, IR 8 and the pfm metadata', async () => {
    const before = tf.memory().numTensors;
    const generator = mlp({ inputDim: 2, outputDim: 2, hidden: [4] }, createRng(0));
    const model = generatorModel({ method: 'mmd', options: { latentDim: 2, noise: 'gaussian' }, generator });
    const bytes = exportOnnx(model);
    const decoded = onnxProto.decode(bytes);
    expect(decoded.irVersion).toBe(8);
    expect(decoded.opsetImport.map((o) => [o.domain ?? '', o.version])).toEqual([['', 17]]);
    expect(decoded.producerName).toBe('pfm');
    expect(decoded.graph.input.map((i) => i.name)).toEqual(['z']);
    expect(decoded.graph.output.map((o) => o.name)).toEqual(['x']);
    expect(readSamplerMetadata(bytes)).toEqual({ kind: 'one-step', method: 'mmd', dim: 2, noiseDim: 2, noise: 'gaussian' });
    // Raw little-endian float32 weights: the first kernel is the generator's first variable.
    const kernel = decoded.graph.initializer.find((i) => i.name?.endsWith('layer0/kernel'))!;
    const stored = new Float32Array(Uint8Array.from(kernel.rawData!).buffer);
    expect(Array.from(stored)).toEqual(Array.from(generator.variables[0]!.dataSync()));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an image model keeps its event shape in the metadata', async () => {
    const before = tf.memory().numTensors;
    const generator = convGenerator({ inputDim: 3, outputShape: [4, 4, 1], channels: [4, 4], norm: 'none' }, createRng(0));
    const base = generatorModel({ method: 'gan', options: { latentDim: 3, noise: 'gaussian' }, generator });
    const model = Object.assign(Object.create(base) as Model, { eventShape: [4, 4, 1] });
    expect(readSamplerMetadata(exportOnnx(model)).eventShape).toEqual([4, 4, 1]);
    base.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('exportOnnx: what it refuses', () => {
  it('a model family with no exportable map, naming its maps', async () => {
    const before = tf.memory().numTensors;
    const model = await trained('realnvp', {}, { hidden: [8] });
    expect(() => exportOnnx(model)).toThrow(OnnxError);
    expect(() => exportOnnx(model)).toThrow(/"realnvp" model \(maps .*\) has no ONNX export; supported: one-step generators/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a velocity field of another map type, naming it', async () => {
    const before = tf.memory().numTensors;
    const field = { dim: 2, variables: [], evaluate: () => tf.zeros([1, 2]), toSpec: () => ({ type: 'particle-field', options: {} }), dispose() {} } as unknown as VectorField;
    const model = { method: 'flow-matching', options: {}, dim: 2, nfe: 100, maps: { velocity: field } } as unknown as Model;
    expect(() => exportOnnx(model)).toThrow(/maps\.velocity\.type: "particle-field" has no ONNX export; supported: time-mlp, unet/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad options, naming the field and the value', async () => {
    const before = tf.memory().numTensors;
    const model = await trained('flow-matching', {}, { hidden: [8] });
    expect(() => exportOnnx(model, { opset: 13 })).toThrow(/options\.opset: .*13/);
    expect(() => exportOnnx(model, { graph: 'sampler', integrator: 'dopri5' as 'euler' })).toThrow(/options\.integrator: .*"dopri5"/);
    expect(() => exportOnnx(model, { steps: 10 })).toThrow(/apply to graph: "sampler"/);
    expect(() => exportOnnx(model, { graph: 'sampler', steps: 0 })).toThrow(/options\.steps/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an adaptive stored sampler unrolled without an integrator', async () => {
    const before = tf.memory().numTensors;
    const model = await trained('flow-matching', { sampler: { integrator: 'dopri5', rtol: 1e-4 } }, { hidden: [8] });
    expect(() => exportOnnx(model, { graph: 'sampler' })).toThrow(/samples with "dopri5" with adaptive steps, which an unrolled graph cannot hold/);
    const bytes = exportOnnx(model, { graph: 'sampler', integrator: 'rk4', steps: 4 });
    expect(readSamplerMetadata(bytes)).toMatchObject({ integrator: 'rk4', steps: 4 });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a file that is not a pfm ONNX model', () => {
    expect(() => readSamplerMetadata(new Uint8Array([0xff, 0xff, 0xff]), 'x.onnx')).toThrow(/x\.onnx: not an ONNX model/);
    const plain = onnxProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'other',
      producerVersion: '1',
      graph: { name: 'g', node: [], initializer: [], input: [], output: [] },
      metadataProps: [],
    });
    expect(() => readSamplerMetadata(plain, 'y.onnx')).toThrow(/y\.onnx: no "pfm.sampler" metadata/);
  });
});
