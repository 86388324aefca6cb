import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { createRegistry } from '../registry/registry.js';
import { decodeModelFile } from '../io/decode-model-file.js';
import { encodeModelFile } from '../io/encode-model-file.js';
import { mapFromRecord, mapToRecord } from '../model/map-record.js';
import { corePlugin } from './core-plugin.js';
import { unet } from './unet.js';

const registry = createRegistry({ plugins: [corePlugin] });

// Printed by the unet of the release before group norm and SiLU had hand-written gradients
// (git c5c207b, cpu backend) for unet({ shape: [6, 6, 1], channels: 4, channelMult: [1, 2], groups: 2,
// finalScale: 1 }, createRng(5)), x = createRng(6).normal([3, 36]), t = [0.1, 0.5, 0.9] and
// L = mean (v(t, x) − createRng(7).normal([3, 36]))²: every 7th output, L, and per variable Σ g² and
// Σ g·r with r = createRng(100 + i).normal(shape of variable i), i in declaration order.
const BEFORE = {
  outputs: [-0.4872898, 0.1250913, -0.3136688, -0.1154636, 0.1037545, -0.06993895, -0.04650018, -0.2461519, -0.1143209, 0.3480766, -0.06492169, -0.2052411, 0.1844924, -0.8096926, -0.4483839, -0.1700228],
  loss: 0.8772714,
  gradients: [
    ['time/dense0/kernel', 0.001281642, -0.03360527],
    ['time/dense0/bias', 5.21878e-05, -0.003699616],
    ['time/dense1/kernel', 0.0005814628, -0.04178872],
    ['time/dense1/bias', 0.0006521344, 0.02041167],
    ['in/kernel', 0.09227873, -0.5432392],
    ['in/bias', 0.002659687, -0.03856384],
    ['down0/res0/norm1/scale', 0.0001351522, 0.01967424],
    ['down0/res0/norm1/shift', 0.0001018886, -0.01595633],
    ['down0/res0/conv1/kernel', 0.04590011, -0.1961092],
    ['down0/res0/conv1/bias', 0.004439832, -0.03911724],
    ['down0/res0/time/kernel', 0.0003095765, -0.01407601],
    ['down0/res0/time/bias', 0.004439832, -0.03550467],
    ['down0/res0/norm2/scale', 0.0006467911, -0.04565201],
    ['down0/res0/norm2/shift', 0.0005456786, -0.0003752413],
    ['down0/res0/conv2/kernel', 0.04950147, -0.2908197],
    ['down0/res0/conv2/bias', 0.0007586451, 0.03951829],
    ['down0/downsample/kernel', 0.09680442, -0.718594],
    ['down0/downsample/bias', 0.001444359, 0.1108963],
    ['down1/res0/norm1/scale', 0.0009983708, -0.021984],
    ['down1/res0/norm1/shift', 0.000108992, -0.01518251],
    ['down1/res0/conv1/kernel', 0.04203072, -0.01480861],
    ['down1/res0/conv1/bias', 0.001916421, -0.03327737],
    ['down1/res0/time/kernel', 0.0002052179, -0.01008174],
    ['down1/res0/time/bias', 0.001916421, 0.05380385],
    ['down1/res0/norm2/scale', 0.000192386, -0.0059072],
    ['down1/res0/norm2/shift', 0.0002284815, -0.008850853],
    ['down1/res0/conv2/kernel', 0.05126346, 0.09993134],
    ['down1/res0/conv2/bias', 0.000823452, 0.02202191],
    ['down1/res0/skip/kernel', 0.00108282, -0.02732461],
    ['down1/res0/skip/bias', 0.000823452, 0.005735306],
    ['middle/norm1/scale', 0.0001347086, -0.008092112],
    ['middle/norm1/shift', 0.0001527391, 0.009382729],
    ['middle/conv1/kernel', 0.0158844, 0.01113824],
    ['middle/conv1/bias', 0.0007475322, 0.05694102],
    ['middle/time/kernel', 7.697423e-05, 0.006524406],
    ['middle/time/bias', 0.0007475322, -0.02055503],
    ['middle/norm2/scale', 6.705058e-05, 0.02172082],
    ['middle/norm2/shift', 4.802338e-05, 0.003630619],
    ['middle/conv2/kernel', 0.0193791, 0.0222969],
    ['middle/conv2/bias', 0.0006803924, -0.03719411],
    ['up1/res0/norm1/scale', 0.0003382652, -0.02682112],
    ['up1/res0/norm1/shift', 0.0001914536, 0.01362601],
    ['up1/res0/conv1/kernel', 0.1047032, 0.4784262],
    ['up1/res0/conv1/bias', 0.001501282, -0.0216362],
    ['up1/res0/time/kernel', 0.0001402547, 0.01211952],
    ['up1/res0/time/bias', 0.001501282, 0.0006371813],
    ['up1/res0/norm2/scale', 0.0001936145, -0.003110273],
    ['up1/res0/norm2/shift', 0.000114683, 0.01874228],
    ['up1/res0/conv2/kernel', 0.03952509, 0.1823232],
    ['up1/res0/conv2/bias', 0.001553099, -0.01856145],
    ['up1/res0/skip/kernel', 0.007771296, 0.05457802],
    ['up1/res0/skip/bias', 0.001553099, -0.0547616],
    ['up1/res1/norm1/scale', 0.0004116499, 0.02431305],
    ['up1/res1/norm1/shift', 0.0002353529, -0.01639798],
    ['up1/res1/conv1/kernel', 0.1566435, 0.1266396],
    ['up1/res1/conv1/bias', 0.003310954, 0.0183688],
    ['up1/res1/time/kernel', 0.0002440722, -0.009933828],
    ['up1/res1/time/bias', 0.003310954, -0.004629523],
    ['up1/res1/norm2/scale', 0.0004075518, 0.02916564],
    ['up1/res1/norm2/shift', 0.0003229373, -0.01231734],
    ['up1/res1/conv2/kernel', 0.1001607, -0.2219327],
    ['up1/res1/conv2/bias', 0.005520384, -0.03238631],
    ['up1/res1/skip/kernel', 0.008503411, -0.1381178],
    ['up1/res1/skip/bias', 0.005520384, 0.02958985],
    ['up1/upsample/kernel', 0.1947554, 1.304732],
    ['up1/upsample/bias', 0.01840169, 0.07816351],
    ['up0/res0/norm1/scale', 0.001318992, 0.0002169666],
    ['up0/res0/norm1/shift', 0.000806875, -0.0117086],
    ['up0/res0/conv1/kernel', 0.2521253, -0.7074131],
    ['up0/res0/conv1/bias', 0.0009669951, -0.02389639],
    ['up0/res0/time/kernel', 7.320699e-05, 0.0001254088],
    ['up0/res0/time/bias', 0.0009669951, 0.006076955],
    ['up0/res0/norm2/scale', 0.0006572264, 0.04959756],
    ['up0/res0/norm2/shift', 0.000427788, -0.005410385],
    ['up0/res0/conv2/kernel', 0.09085429, -0.03248905],
    ['up0/res0/conv2/bias', 0.001906189, -0.03414778],
    ['up0/res0/skip/kernel', 0.0118648, -0.085062],
    ['up0/res0/skip/bias', 0.001906189, 0.002201929],
    ['up0/res1/norm1/scale', 0.002058161, 0.07384291],
    ['up0/res1/norm1/shift', 0.000762698, -0.00534654],
    ['up0/res1/conv1/kernel', 0.4363544, -0.2756138],
    ['up0/res1/conv1/bias', 0.004911889, 0.06331893],
    ['up0/res1/time/kernel', 0.0002966081, 0.009706117],
    ['up0/res1/time/bias', 0.004911888, -0.03135262],
    ['up0/res1/norm2/scale', 0.001498654, -0.06853227],
    ['up0/res1/norm2/shift', 0.001395749, 0.02221172],
    ['up0/res1/conv2/kernel', 0.1330007, 0.1312918],
    ['up0/res1/conv2/bias', 0.0009508395, 0.07994591],
    ['up0/res1/skip/kernel', 0.01941811, 0.1658247],
    ['up0/res1/skip/bias', 0.0009508395, -0.02064199],
    ['out/norm/scale', 0.005107272, 0.02908637],
    ['out/norm/shift', 0.001838255, -0.04818118],
    ['out/conv/kernel', 0.1663785, -0.5892209],
    ['out/conv/bias', 0.009079035, -0.07158786],
  ] as [string, number, number][],
};

describe('unet', () => {
  it('maps [n, h·w·c] to itself for sizes that do and do not divide 2^(L−1)', () => {
    const before = tf.memory().numTensors;
    for (const shape of [[8, 8, 1], [12, 12, 1], [7, 5, 2]] as [number, number, number][]) {
      const v = unet({ shape, channels: 8, channelMult: [1, 2, 2], finalScale: 1 }, createRng(1));
      const d = shape[0] * shape[1] * shape[2];
      expect(v.dim).toBe(d);
      tf.tidy(() => {
        const x = createRng(2).normal([3, d]) as tf.Tensor2D;
        const y = v.evaluate(tf.tensor1d([0, 0.5, 1]), x);
        expect(y.shape).toEqual([3, d]);
        expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
        // The time embedding matters: another t, another output.
        expect(Array.from(v.evaluate(0.25, x).dataSync())).not.toEqual(Array.from(v.evaluate(0.75, x).dataSync()));
      });
      v.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts at v = 0 by default (zero-initialised output conv, as DDPM) and counts its parameters', () => {
    const before = tf.memory().numTensors;
    const v = unet({ shape: [8, 8, 1], channels: 8, channelMult: [1, 2] }, createRng(3));
    tf.tidy(() => {
      const y = v.evaluate(0.3, createRng(4).normal([2, 64]) as tf.Tensor2D);
      expect(Array.from(y.dataSync()).every((value) => value === 0)).toBe(true);
    });
    // Time MLP: (2·16 + 1)·32 + (32 + 1)·32; input conv 9·1·8 + 8; down0/res0 (8 → 8), downsample
    // 8 → 8, down1/res0 (8 → 16, 1×1 skip), middle (16), up1/res0..1 (16+16 → 16, 16+8 → 16),
    // upsample 16 → 16, up0/res0..1 (16+8 → 8, 8+8 → 8); output norm and conv 9·8·1 + 1.
    const res = (cIn: number, cOut: number) => 4 * cIn / 2 + 9 * cIn * cOut + cOut + 33 * cOut + 2 * cOut + 9 * cOut * cOut + cOut + (cIn !== cOut ? cIn * cOut + cOut : 0);
    const expected =
      33 * 32 + 33 * 32 + (9 * 8 + 8) + res(8, 8) + (9 * 64 + 8) + res(8, 16) + res(16, 16) + res(32, 16) + res(24, 16) + (9 * 256 + 16) + res(24, 8) + res(16, 8) + 16 + (9 * 8 + 1);
    expect(v.variables.reduce((s, w) => s + w.size, 0)).toBe(expected);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is rebuilt from a model file with the same outputs', () => {
    const before = tf.memory().numTensors;
    const v = unet({ shape: [6, 6, 1], channels: 4, channelMult: [1, 2], groups: 2, finalScale: 1 }, createRng(5));
    const content = { method: 'none', options: {}, dim: 36, plugins: [], maps: { velocity: mapToRecord(v) }, extra: {} };
    const loaded = decodeModelFile(encodeModelFile(content, { weights: 'inline' }).json, { source: 'v.json' });
    const copy = mapFromRecord(loaded.maps.velocity!, registry, 'maps.velocity');
    tf.tidy(() => {
      const x = createRng(6).normal([3, 36]) as tf.Tensor2D;
      expect(Array.from((copy as typeof v).evaluate(0.4, x).dataSync())).toEqual(Array.from(v.evaluate(0.4, x).dataSync()));
    });
    copy.dispose();
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes the function and gradients of the previous release: same parameters, same outputs', () => {
    const before = tf.memory().numTensors;
    const v = unet({ shape: [6, 6, 1], channels: 4, channelMult: [1, 2], groups: 2, finalScale: 1 }, createRng(5));
    tf.tidy(() => {
      const x = createRng(6).normal([3, 36]) as tf.Tensor2D;
      const t = tf.tensor1d([0.1, 0.5, 0.9]);
      const target = createRng(7).normal([3, 36]);
      const outputs = Array.from(v.evaluate(t, x).dataSync()).filter((_, i) => i % 7 === 0);
      // float32 sums in another order (and on another backend): 1e-3 relative.
      outputs.forEach((value, i) => expect(Math.abs(value - BEFORE.outputs[i]!), `output ${7 * i}`).toBeLessThan(1e-4 + 1e-3 * Math.abs(BEFORE.outputs[i]!)));
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(v.evaluate(t, x), target))) as tf.Scalar, [...v.variables]);
      expect(value.dataSync()[0]).toBeCloseTo(BEFORE.loss, 4);
      expect(v.variables.map((w) => w.name.slice(w.name.indexOf('/') + 1))).toEqual(BEFORE.gradients.map(([name]) => name));
      v.variables.forEach((w, i) => {
        const [name, squares, probe] = BEFORE.gradients[i]!;
        const g = grads[w.name]!;
        expect(Math.abs(tf.sum(tf.square(g)).dataSync()[0]! - squares), `Σ g² of ${name}`).toBeLessThan(1e-3 * squares + 1e-9);
        const projected = tf.sum(tf.mul(g, createRng(100 + i).normal(g.shape))).dataSync()[0]!;
        expect(Math.abs(projected - probe), `Σ g·r of ${name}`).toBeLessThan(2e-3 * (Math.abs(probe) + Math.sqrt(squares)));
      });
    });
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the field of a bad option, the expected input and a bad t', () => {
    const before = tf.memory().numTensors;
    const create = (options: Record<string, unknown>) =>
      registry.create('map', { id: 'unet', options: { shape: [8, 8, 1], ...options } }, { rng: createRng(1) }, 'model');
    expect(() => create({ channels: 12 })).toThrow(/model\.options\.groups: 8 groups do not divide 12 channels/);
    expect(() => create({ channelMult: [] })).toThrow(/model\.options\.channelMult/);
    expect(() => create({ shape: [8, 8, 1, 1] })).toThrow(/model\.options\.shape/);
    expect(() => create({ attention: true })).toThrow(/attention/);
    const v = unet({ shape: [4, 4, 1], channels: 8, channelMult: [1] }, createRng(1));
    const bad = tf.zeros([2, 15]) as tf.Tensor2D;
    expect(() => v.evaluate(0.5, bad)).toThrow(/unet: expected x \[n, 16\] \(images 4×4×1\), got \[2, 15\]/);
    const x = tf.zeros([2, 16]) as tf.Tensor2D;
    const t = tf.zeros([3]);
    expect(() => v.evaluate(t, x)).toThrow(/unet: t has 3 entries for 2 rows/);
    tf.dispose([bad, x, t]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fits a fixed batch: a flow-matching regression loss on (t, x) falls below half in 15 Adam steps', () => {
    const before = tf.memory().numTensors;
    const v = unet({ shape: [6, 6, 1], channels: 4, channelMult: [1, 2], groups: 2 }, createRng(7));
    const x = createRng(8).normal([4, 36]) as tf.Tensor2D;
    const t = createRng(9).uniform([4]) as tf.Tensor1D;
    const target = createRng(10).uniform([4, 36]);
    const optimizer = tf.train.adam(0.03);
    const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(v.evaluate(t, x), target))) as tf.Scalar);
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 15; i++) optimizer.minimize(loss, false, [...v.variables])?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first / 2);
    optimizer.dispose();
    tf.dispose([x, t, target]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});
