import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, modelFromContent, modelToContent, trainRecipe } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import type { FlowModel } from '../flow/flow-model.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });

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

describe('conditional RealNVP (the label into every coupling conditioner)', () => {
  it('on 8gaussians with mode labels, ≥ 98% of samples of class c land nearest centre c; log p(x | c) prefers the right class; the file keeps the condition', async () => {
    const before = tf.memory().numTensors;
    const { x, labels } = eightGaussians(4096, 1);
    const spec = { kind: 'class', classes: 8 } as const;
    const trained = await trainRecipe(
      { method: 'realnvp', options: { blocks: 4 }, model: { hidden: [32, 32] }, steps: 300, batchSize: 256, seed: 0, optimizer: { lr: 3e-3 } },
      x,
      { registry, condition: { spec, rows: labels } },
    );
    const model = trained.model as FlowModel;
    expect(model.condition).toEqual(spec);
    const wanted = Int32Array.from({ length: 800 }, (_, i) => i % 8);
    const samples = model.sample(800, createRng(9), { condition: wanted });
    const points = samples.arraySync();
    let hits = 0;
    points.forEach(([a, b], i) => {
      const d = CENTRES.map(([cx, cy]) => (a! - cx) ** 2 + (b! - cy) ** 2);
      if (d.indexOf(Math.min(...d)) === wanted[i]) hits++;
    });
    // Seeds fixed; the modes are 8 std apart, so a flow that uses its label puts almost nothing in
    // a neighbour's cell (one that ignores it would score about 1/8).
    expect(hits / points.length).toBeGreaterThanOrEqual(0.98);
    // The centre of mode 2 is far more likely under class 2 than under class 6 (the opposite mode).
    const centre = tf.tensor2d([CENTRES[2]![0], CENTRES[2]![1]], [1, 2]);
    const own = model.logProb(centre, 2);
    const other = model.logProb(centre, 6);
    expect(own.dataSync()[0]! - other.dataSync()[0]!).toBeGreaterThan(10);
    expect(() => model.logProb(centre)).toThrow(/this model is conditional; give "condition"/);
    expect(() => model.sample(3, createRng(0), { condition: 8 })).toThrow('realnvp.sample: condition: label 8 is not a class of this model; expected an integer in 0…7');
    expect(() => model.sample(3, createRng(0), { condition: 1, guidance: 2 })).toThrow(/"guidance" applies to flows trained with condition dropout/);
    const loaded = modelFromContent(modelToContent(model, registry), registry, 'm.json');
    expect(loaded.condition).toEqual(spec);
    const again = loaded.sample(800, createRng(9), { condition: wanted });
    expect(Array.from(again.dataSync())).toEqual(Array.from(samples.dataSync()));
    tf.dispose([x, labels, samples, centre, own, other, again]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);
});
