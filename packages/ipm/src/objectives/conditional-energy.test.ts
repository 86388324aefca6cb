import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, modelFromContent, modelToContent, trainRecipe } from '@pfm/core';
import { ipmPlugin } from '../plugin/ipm-plugin.js';

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });

// FFJORD's 8gaussians (radius 4/1.414, std 0.5/1.414) with each point's mode as its label.
const RADIUS = 4 / 1.414;
const STD = 0.5 / 1.414;
const CENTRES = Array.from({ length: 8 }, (_, k) => [RADIUS * Math.cos((k * Math.PI) / 4), RADIUS * Math.sin((k * Math.PI) / 4)] as const);
function eightGaussians(n: number, seed: number): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const rng = createRng(seed);
  const labels = Int32Array.from({ length: n }, () => rng.int(8));
  const eps = rng.normalArray(2 * n);
  const x = new Float32Array(2 * n);
  labels.forEach((k, i) => {
    x[2 * i] = CENTRES[k]![0] + STD * eps[2 * i]!;
    x[2 * i + 1] = CENTRES[k]![1] + STD * eps[2 * i + 1]!;
  });
  return { x: tf.tensor2d(x, [n, 2]), labels: tf.tensor1d(labels, 'int32') };
}

describe('conditional energy generator (per-class energy distances summed)', () => {
  it('on 8gaussians with mode labels, ≥ 98% of the samples of class c land nearest centre c; the file keeps the condition', async () => {
    const before = tf.memory().numTensors;
    const { x, labels } = eightGaussians(4096, 1);
    const spec = { kind: 'class', classes: 8 } as const;
    const { model } = await trainRecipe(
      { method: 'energy', model: { hidden: [32, 32] }, steps: 300, batchSize: 256, seed: 0, optimizer: { lr: 3e-3 } },
      x,
      { registry, condition: { spec, rows: labels } },
    );
    expect(model.condition).toEqual(spec);
    const wanted = Int32Array.from({ length: 800 }, (_, i) => i % 8);
    const samples = model.sample(800, createRng(9), { condition: wanted });
    let hits = 0;
    samples.arraySync().forEach(([a, b], i) => {
      const d = CENTRES.map(([cx, cy]) => (a! - cx) ** 2 + (b! - cy) ** 2);
      if (d.indexOf(Math.min(...d)) === wanted[i]) hits++;
    });
    // Seeds fixed; a generator that ignored its label would score about 1/8.
    expect(hits / 800).toBeGreaterThanOrEqual(0.98);
    expect(() => model.sample(3, createRng(0))).toThrow(/energy\.sample: this model is conditional; give "condition"/);
    expect(() => model.sample(3, createRng(0), { condition: 9 })).toThrow('energy.sample: condition: label 9 is not a class of this model; expected an integer in 0…7');
    const loaded = modelFromContent(modelToContent(model, registry), registry, 'm.json');
    const again = loaded.sample(800, createRng(9), { condition: wanted });
    expect(Array.from(again.dataSync())).toEqual(Array.from(samples.dataSync()));
    tf.dispose([x, labels, samples, again]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);
});
