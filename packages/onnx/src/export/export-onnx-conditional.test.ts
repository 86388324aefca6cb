import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convGenerator, createRng, gaussian, generatorModel, mlp, trainRecipe, unet, type ConditionSpec, type Model, type VectorField } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';
import { exportOnnx } from './export-onnx.js';
import { OnnxError } from './onnx-error.js';
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

/** A model of `method` trained 4 steps on 2-D data with 3 classes (or a 2-D context), so its condition weights are not at their initial values. */
async function conditionalModel(method: string, options: Record<string, unknown>, network: Record<string, unknown>, spec: ConditionSpec): Promise<Model> {
  const x = gaussian({ mean: [1, -1], std: 0.5 }).sample(96, createRng(2));
  const rows = spec.kind === 'class' ? tf.tensor1d(Int32Array.from({ length: 96 }, (_, i) => i % 3), 'int32') : createRng(4).normal([96, spec.dim]);
  try {
    const { model } = await trainRecipe({ method, options, model: network, steps: 4, batchSize: 32, seed: 3 }, x, { registry, condition: { spec, rows } });
    return model;
  } finally {
    x.dispose();
    rows.dispose();
  }
}

/** pfm's samples with the seed and options, as a flat array. */
function pfmSamples(model: Model, n: number, seed: number, options: Record<string, unknown>): Float32Array {
  return tf.tidy(() => model.sample(n, createRng(seed), options).dataSync() as Float32Array).slice();
}

/** The graph's input names, in order. */
function inputNames(bytes: Uint8Array): string[] {
  return (onnxProto.decode(bytes).graph?.input ?? []).map((i) => i.name);
}

/** The guided velocity v_∅ + w (v_c − v_∅) of `field`, computed by pfm's field for the rows' labels or context. */
function guidedVelocity(field: VectorField, t: Float32Array, x: Float32Array, condition: tf.Tensor, w: number): Float32Array {
  return tf.tidy(() => {
    const n = t.length;
    const tt = tf.tensor1d(t);
    const xx = tf.tensor2d(x, [n, field.dim]);
    const vc = field.evaluate(tt, xx, { values: condition });
    const vNull = field.evaluate(tt, xx, { values: condition, keep: tf.zeros([n]) as tf.Tensor1D });
    return tf.add(vNull, tf.mul(w, tf.sub(vc, vNull))).dataSync() as Float32Array;
  }).slice();
}

describe('exportOnnx: conditional flows in onnxruntime-node', () => {
  it.each([
    ['class labels, concat', { kind: 'class', classes: 3 }, { hidden: [16, 16] }],
    ['class labels, FiLM, sinusoidal time', { kind: 'class', classes: 3 }, { hidden: [12, 12], timeEmbedding: 'sinusoidal', embeddingFrequencies: 3, condition: { join: 'film', embeddingDim: 6 } }],
    ['a context of dimension 2, FiLM', { kind: 'context', dim: 2 }, { hidden: [12], condition: { join: 'film', embeddingDim: 5 } }],
  ] as [string, ConditionSpec, Record<string, unknown>][])('%s: the guided velocity and the samples equal pfm’s for several conditions and guidance scales', async (_name, spec, network) => {
    const before = tf.memory().numTensors;
    const model = await conditionalModel('flow-matching', { conditionDropout: 0.2 }, network, spec);
    const field = model.maps.velocity as VectorField;
    const bytes = exportOnnx(model);
    const conditionName = spec.kind === 'class' ? 'label' : 'context';
    expect(inputNames(bytes)).toEqual(['t', 'x', conditionName, 'guidance']);
    const sampler = await createOnnxSampler(bytes, ort);
    expect(sampler.metadata).toMatchObject({ kind: 'velocity-field', condition: spec, guidance: 'input' });
    const n = 12;
    const x = createRng(11).normalArray(n * 2);
    const t = createRng(12).uniformArray(n);
    // One condition per row: labels 0, 1, 2, 0, … or a context row each.
    const perRow = spec.kind === 'class' ? Int32Array.from({ length: n }, (_, i) => i % 3) : createRng(13).normalArray(n * 2);
    const rows = spec.kind === 'class' ? tf.tensor1d(perRow, 'int32') : tf.tensor2d(perRow, [n, 2]);
    for (const w of [0, 1, 2.5]) {
      const expected = guidedVelocity(field, t, x, rows, w);
      expect(maxAbsDiff(await sampler.velocity(t, x, n, { condition: perRow, guidance: w }), expected), `w = ${w}`).toBeLessThanOrEqual(1e-5);
    }
    rows.dispose();
    // The sampling loop outside the graph, and the loop unrolled into one graph.
    const unrolled = await createOnnxSampler(exportOnnx(model, { graph: 'sampler', integrator: 'rk4', steps: 4 }), ort);
    expect(unrolled.metadata).toMatchObject({ kind: 'fixed-step-sampler', condition: spec, guidance: 'input' });
    const conditions = spec.kind === 'class' ? [0, 1, 2, perRow] : [[0.5, -1], perRow];
    for (const condition of conditions) {
      for (const w of [1, 3]) {
        const options = { condition, guidance: w, integrator: 'euler', steps: 8 } as const;
        const ours = pfmSamples(model, n, 7, options);
        expect(maxAbsDiff(await sampler.sample(n, createRng(7), options), ours), `euler, w = ${w}`).toBeLessThanOrEqual(1e-5);
        const rk4 = pfmSamples(model, n, 8, { condition, guidance: w, integrator: 'rk4', steps: 4 });
        expect(maxAbsDiff(await unrolled.sample(n, createRng(8), { condition, guidance: w }), rk4), `rk4 unrolled, w = ${w}`).toBeLessThanOrEqual(1e-5);
      }
    }
    expect(sampler.nfe({ integrator: 'euler', steps: 8 })).toBe(16);
    await sampler.release();
    await unrolled.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a guidance scale fixed at export needs no guidance input; a flow trained without condition dropout exports at w = 1', async () => {
    const before = tf.memory().numTensors;
    const guided = await conditionalModel('flow-matching', { conditionDropout: 0.2 }, { hidden: [8] }, { kind: 'class', classes: 3 });
    const fixed = exportOnnx(guided, { graph: 'sampler', integrator: 'midpoint', steps: 3, guidance: 4 });
    expect(inputNames(fixed)).toEqual(['z', 'label']);
    const sampler = await createOnnxSampler(fixed, ort);
    expect(sampler.metadata.guidance).toBe(4);
    expect(maxAbsDiff(await sampler.sample(10, createRng(3), { condition: 2 }), pfmSamples(guided, 10, 3, { condition: 2, guidance: 4, integrator: 'midpoint', steps: 3 }))).toBeLessThanOrEqual(1e-5);
    await expect(sampler.sample(10, createRng(3), { condition: 2, guidance: 2 })).rejects.toThrow(/guidance 2: this graph has its guidance fixed at 4/);
    await sampler.release();
    // w = 0 is the unconditional field: the label does not change the samples.
    const unconditional = await createOnnxSampler(exportOnnx(guided, { graph: 'sampler', integrator: 'euler', steps: 3, guidance: 0 }), ort);
    expect(maxAbsDiff(await unconditional.sample(10, createRng(3), { condition: 0 }), await unconditional.sample(10, createRng(3), { condition: 2 }))).toBe(0);
    expect(maxAbsDiff(await unconditional.sample(10, createRng(3), { condition: 1 }), pfmSamples(guided, 10, 3, { condition: 1, guidance: 0, integrator: 'euler', steps: 3 }))).toBeLessThanOrEqual(1e-5);
    await unconditional.release();
    guided.dispose();

    const plain = await conditionalModel('flow-matching', {}, { hidden: [8] }, { kind: 'class', classes: 3 });
    const bytes = exportOnnx(plain);
    expect(inputNames(bytes)).toEqual(['t', 'x', 'label']);
    const field = await createOnnxSampler(bytes, ort);
    expect(field.metadata.guidance).toBe(1);
    expect(field.nfe({ steps: 5 })).toBe(5);
    expect(maxAbsDiff(await field.sample(10, createRng(5), { condition: 1, steps: 5 }), pfmSamples(plain, 10, 5, { condition: 1, integrator: 'euler', steps: 5 }))).toBeLessThanOrEqual(1e-5);
    await field.release();
    expect(() => exportOnnx(plain, { guidance: 2 })).toThrow(/^exportOnnx: options\.guidance: 2: the "flow-matching" model was trained without condition dropout, so only guidance 1 is defined$/);
    plain.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a conditional unet velocity field (class embedding added to the time embedding) equals pfm’s', async () => {
    const before = tf.memory().numTensors;
    const field = unet({ shape: [4, 4, 1], channels: 4, channelMult: [1, 2], groups: 2, finalScale: 1, condition: { classes: 3 } }, createRng(6));
    const options = registry.parseOptions('objective', 'flow-matching', { conditionDropout: 0.1 }, 'flow-matching');
    const model = registry.get('objective', 'flow-matching').load({ options, dim: field.dim, maps: { velocity: field }, extra: {}, registry });
    const unrolled = await createOnnxSampler(exportOnnx(model, { graph: 'sampler', integrator: 'euler', steps: 2 }), ort);
    for (const [condition, guidance] of [[0, 1], [2, 2], [[1, 0, 2], 0.5]] as const) {
      const ours = pfmSamples(model, 3, 2, { condition, guidance, integrator: 'euler', steps: 2 });
      expect(maxAbsDiff(await unrolled.sample(3, createRng(2), { condition, guidance }), ours)).toBeLessThanOrEqual(1e-5);
    }
    await unrolled.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('exportOnnx: conditional one-step generators in onnxruntime-node', () => {
  it('an energy generator trained on class labels samples each class as pfm does', async () => {
    const before = tf.memory().numTensors;
    const model = await conditionalModel('energy', {}, { hidden: [16, 16] }, { kind: 'class', classes: 3 });
    const bytes = exportOnnx(model);
    expect(inputNames(bytes)).toEqual(['z', 'label']);
    const sampler = await createOnnxSampler(bytes, ort);
    expect(sampler.metadata).toMatchObject({ kind: 'one-step', condition: { kind: 'class', classes: 3 } });
    expect(sampler.metadata.guidance).toBeUndefined();
    const perRow = Int32Array.from({ length: 30 }, (_, i) => (i * 7) % 3);
    for (const condition of [0, 1, 2, perRow]) {
      expect(maxAbsDiff(await sampler.sample(30, createRng(7), { condition }), pfmSamples(model, 30, 7, { condition }))).toBeLessThanOrEqual(1e-5);
    }
    // Different classes give different samples from the same noise.
    expect(maxAbsDiff(await sampler.sample(30, createRng(7), { condition: 0 }), await sampler.sample(30, createRng(7), { condition: 2 }))).toBeGreaterThan(1e-3);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['an mlp on a context of dimension 3, FiLM', () => mlp({ inputDim: 4, outputDim: 2, hidden: [10, 6], condition: { contextDim: 3, join: 'film', embeddingDim: 4 } }, createRng(2)), [0.3, -1, 2]],
    ['a conv-generator on 4 classes', () => convGenerator({ inputDim: 4, outputShape: [7, 6, 1], channels: [4, 4], norm: 'group', groups: 2, condition: { classes: 4, embeddingDim: 3 } }, createRng(4)), 3],
  ] as const)('%s matches', async (_name, build, condition) => {
    const before = tf.memory().numTensors;
    const generator = build();
    const model = generatorModel({ method: 'gan', options: { latentDim: 4, noise: 'gaussian' }, generator });
    const sampler = await createOnnxSampler(exportOnnx(model), ort);
    expect(maxAbsDiff(await sampler.sample(5, createRng(9), { condition }), pfmSamples(model, 5, 9, { condition }))).toBeLessThanOrEqual(1e-5);
    await sampler.release();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('exportOnnx and its sampler: bad conditions', () => {
  it('name the field, the value and what was expected', async () => {
    const before = tf.memory().numTensors;
    const model = await conditionalModel('flow-matching', { conditionDropout: 0.2 }, { hidden: [8] }, { kind: 'class', classes: 3 });
    expect(() => exportOnnx(model, { guidance: Number.NaN })).toThrow(OnnxError);
    const sampler = await createOnnxSampler(exportOnnx(model, { graph: 'sampler', integrator: 'euler', steps: 2 }), ort);
    await expect(sampler.sample(4, createRng(0))).rejects.toThrow(/is conditioned on class labels 0…2; give condition$/);
    await expect(sampler.sample(4, createRng(0), { condition: 3 })).rejects.toThrow(/condition: label 3 is not a class of this graph; expected an integer in 0…2$/);
    await expect(sampler.sample(4, createRng(0), { condition: [0, 1] })).rejects.toThrow(/condition: expected 4 class labels \(one per row\) or one for all rows, got 2$/);
    await expect(sampler.sample(4, createRng(0), { condition: 1, guidance: Number.POSITIVE_INFINITY })).rejects.toThrow(/guidance must be a finite number/);
    await sampler.release();
    const energy = await conditionalModel('energy', {}, { hidden: [8] }, { kind: 'class', classes: 3 });
    expect(() => exportOnnx(energy, { guidance: 2 })).toThrow(/^exportOnnx: options\.guidance: the "energy" model is a one-step map, sampled without guidance \(got 2\)$/);
    energy.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
