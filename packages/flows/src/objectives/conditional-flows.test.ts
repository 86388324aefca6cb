import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, createTrainingRun, parseRecipe, train, type ConditionBatch, type VectorField } from '@pfm/core';
import { testRegistry } from '../test-support/registry.js';
import { velocityFlow } from './velocity-flow.js';
import { samplerSchema } from '../models/sampler-schema.js';
import { onOneBackend, EIGHT_GAUSSIANS_CLASSES, labelledEightGaussians, ownModeFraction, trainOnLabelledEightGaussians } from '@pfm/core/testing';

// A whole training run checked by a law on its samples: one backend (see onOneBackend).
const trainingRun = it.runIf(onOneBackend('wasm'));

describe('conditional flow matching on 8gaussians with mode labels', () => {
  for (const method of ['flow-matching'] as const) {
    trainingRun(`${method}: ≥ 98% of conditional samples (guidance 1) land nearest their own centre; the model file keeps the condition`, async () => {
      const registry = testRegistry();
      const before = tf.memory().numTensors;
      const { model, fraction, wanted, reloaded, samples } = await trainOnLabelledEightGaussians(
        { method, options: { conditionDropout: 0.1 }, model: { hidden: [48, 48] }, steps: 400, batchSize: 128, seed: 0, optimizer: { lr: 3e-3 } },
        registry,
        { sample: { steps: 20 } },
      );
      expect(model.condition).toEqual(EIGHT_GAUSSIANS_CLASSES);
      // Seeds fixed; neighbouring centres are 6 std apart, so a conditional field that learned its class puts
      // almost nothing in a neighbour's cell (a label-blind one would score about 1/8).
      expect(fraction).toBeGreaterThanOrEqual(0.98);
      // Guidance 0 is the unconditional model: the requested label no longer decides the mode.
      const free = model.sample(800, createRng(9), { condition: wanted, guidance: 0, steps: 20 });
      expect(ownModeFraction(free, wanted)).toBeLessThan(0.5);
      // Saved and loaded, the model draws the same samples.
      expect(reloaded.samples).toEqual(samples);
      free.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 600_000);
  }

  it('OT-CFM pairs only within a class: every training pair ends in its own mode', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(64, 2);
    const recipe = parseRecipe({ method: 'ot-flow-matching', model: { hidden: [8] }, steps: 1, batchSize: 64 }, registry);
    const run = createTrainingRun(recipe, x, registry, { condition: { spec: { kind: 'class', classes: 8 }, rows: labels } });
    // The loss sees the batch through the field: record what the field is evaluated on at t, x_t and labels.
    const field = run.model.maps.velocity as VectorField;
    const seen: { labels: number[] }[] = [];
    const evaluate = field.evaluate.bind(field);
    (field as { evaluate: VectorField['evaluate'] }).evaluate = (t, xt, condition?: ConditionBatch) => {
      seen.push({ labels: Array.from(condition!.values.dataSync()) });
      return evaluate(t, xt, condition);
    };
    await train(run, x, { steps: 1, batchSize: 64, seed: 0, condition: labels });
    // Grouped by class in increasing order, with the batch's class counts.
    const counts = new Array(8).fill(0);
    labels.dataSync().forEach((c) => counts[c]++);
    const expected = counts.flatMap((n, c) => new Array(n).fill(c));
    expect(seen[0]!.labels).toEqual(expected);
    tf.dispose([x, labels]);
    run.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('conditional rectified flow and stochastic interpolant', () => {
  it('rectified-flow: the reflow pairs carry conditions drawn from the data labels, and they travel in checkpoints', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(256, 3);
    const recipe = parseRecipe(
      { method: 'rectified-flow', options: { rounds: 2, pairs: 64, conditionDropout: 0.2, reflowSampler: { integrator: 'euler', steps: 2 } }, model: { hidden: [8] }, steps: 4, batchSize: 32 },
      registry,
    );
    const run = createTrainingRun(recipe, x, registry, { condition: { spec: { kind: 'class', classes: 8 }, rows: labels } });
    await train(run, x, { steps: 4, batchSize: 32, seed: 0, condition: labels });
    const state = run.state!();
    expect(state.json.couplingRound).toBe(1);
    const pairs = Array.from(state.tensors.condition!.dataSync());
    expect(pairs).toHaveLength(64);
    expect(pairs.every((c) => Number.isInteger(c) && c >= 0 && c < 8)).toBe(true);
    expect(new Set(pairs).size).toBeGreaterThan(4);
    run.restore!(state);
    const y = run.model.sample(5, createRng(1), { condition: 3, guidance: 1.5, steps: 2 });
    expect(y.shape).toEqual([5, 2]);
    tf.dispose([x, labels, y, ...Object.values(state.tensors)]);
    run.dispose!();
    run.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stochastic-interpolant on context vectors: a conditional model; an OT coupling with a context is refused', async () => {
    const registry = testRegistry();
    const before = tf.memory().numTensors;
    const { x, labels } = labelledEightGaussians(64, 4);
    const context = tf.tidy(() => tf.cast(tf.oneHot(labels, 8), 'float32')) as tf.Tensor2D;
    const spec = { kind: 'context', dim: 8 } as const;
    const recipe = parseRecipe({ method: 'stochastic-interpolant', model: { hidden: [8], condition: { join: 'film' } }, steps: 2, batchSize: 16 }, registry);
    const run = createTrainingRun(recipe, x, registry, { condition: { spec, rows: context } });
    await train(run, x, { steps: 2, batchSize: 16, seed: 0, condition: context });
    expect(run.model.condition).toEqual(spec);
    const y = run.model.sample(3, createRng(0), { condition: [0, 0, 1, 0, 0, 0, 0, 0], steps: 2 });
    expect(y.shape).toEqual([3, 2]);
    expect(() => run.model.sample(3, createRng(0), { condition: [1, 0], steps: 2 })).toThrow(/expected a context vector of dimension 8/);
    const ot = createTrainingRun(parseRecipe({ method: 'ot-flow-matching', model: { hidden: [8] }, steps: 1, batchSize: 16 }, registry), x, registry, { condition: { spec, rows: context } });
    await expect(train(ot, x, { steps: 1, batchSize: 16, seed: 0, condition: context })).rejects.toThrow(/cannot keep context vectors with their data points; use coupling "independent"/);
    tf.dispose([x, labels, context, y]);
    run.model.dispose();
    ot.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

// Guidance against a closed form. Target: x1 | c ~ N(m_c, s² I), classes equally likely; path
// x_t = (1 − t) x0 + t x1, x0 ~ N(0, I). Per class the exact velocity is affine (see flow-matching.test):
//   v_c(t, x) = m_c + (t s² − (1 − t)) / V_t · (x − t m_c),  V_t = (1 − t)² + t² s²,
// and the unconditional field is the posterior mixture v_∅(t, x) = Σ_c w_c(t, x) v_c(t, x) with
// w_c ∝ N(x; t m_c, V_t I). Plugged in as the network, the sampler must integrate
// ṽ = v_∅ + w (v_c − v_∅).
const MEANS = [
  [2, 0],
  [-1, 1.5],
  [0, -2],
];
const S = 0.5;
function exactField(): VectorField {
  const conditional = (t: number, x: number[], c: number) => {
    const v = (1 - t) ** 2 + t * t * S * S;
    return x.map((xi, i) => MEANS[c]![i]! + ((t * S * S - (1 - t)) / v) * (xi - t * MEANS[c]![i]!));
  };
  const unconditional = (t: number, x: number[]) => {
    const v = (1 - t) ** 2 + t * t * S * S;
    const logW = MEANS.map((m) => -((x[0]! - t * m[0]!) ** 2 + (x[1]! - t * m[1]!) ** 2) / (2 * v));
    const top = Math.max(...logW);
    const w = logW.map((l) => Math.exp(l - top));
    const total = w.reduce((a, b) => a + b, 0);
    const out = [0, 0];
    MEANS.forEach((_, c) => conditional(t, x, c).forEach((vi, i) => (out[i]! += (w[c]! / total) * vi)));
    return out;
  };
  return {
    dim: 2,
    condition: { kind: 'class', classes: 3 },
    variables: [],
    evaluate(t, x, condition) {
      const time = typeof t === 'number' ? t : t.dataSync()[0]!;
      const rows = x.arraySync();
      const labels = condition!.values.dataSync();
      const keep = condition!.keep?.dataSync();
      return tf.tensor2d(rows.map((row, i) => (keep && keep[i] === 0 ? unconditional(time, row) : conditional(time, row, labels[i]!))));
    },
    toSpec: () => ({ type: 'exact', options: {} }),
    dispose() {},
  };
}

describe('classifier-free guidance with the exact fields of a Gaussian mixture', () => {
  const registry = testRegistry();
  const guided = (sampler: object) =>
    velocityFlow('flow-matching', { sampler: samplerSchema.parse(sampler), conditionDropout: 0.1 }, exactField(), registry);

  it('one Euler step from t = 0 lands on m̄ + w (m_c − m̄) for every noise point and every w', () => {
    // At t = 0: v_c(0, x) = m_c − x and, all weights equal, v_∅(0, x) = m̄ − x, so x + ṽ = m̄ + w (m_c − m̄).
    const before = tf.memory().numTensors;
    const model = guided({ integrator: 'euler', steps: 1 });
    const mean = [1 / 3, -1 / 6];
    for (const w of [0, 1, 2, 3.5]) {
      for (const c of [0, 1, 2]) {
        const y = model.sample(5, createRng(w * 10 + c), { condition: c, guidance: w });
        const want = mean.map((m, i) => m + w * (MEANS[c]![i]! - m));
        for (const row of y.arraySync()) {
          expect(row[0]).toBeCloseTo(want[0]!, 5);
          expect(row[1]).toBeCloseTo(want[1]!, 5);
        }
        y.dispose();
      }
    }
    expect(model.nfeFor({ condition: 0, guidance: 2 })).toBe(2);
    expect(model.nfeFor({ condition: 0, guidance: 1 })).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('guidance 1 is the conditional flow: rk4 carries z to m_c + s z (the affine Gaussian flow map)', () => {
    const before = tf.memory().numTensors;
    const model = guided({ integrator: 'rk4', steps: 40 });
    const z = createRng(3).normal([6, 2]) as tf.Tensor2D;
    const labels = [0, 1, 2, 0, 1, 2];
    const y = model.transport(z, { condition: labels });
    const zs = z.arraySync();
    y.arraySync().forEach((row, i) => {
      row.forEach((v, j) => expect(v).toBeCloseTo(MEANS[labels[i]!]![j]! + S * zs[i]![j]!, 4));
    });
    tf.dispose([z, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('guidance w ≠ 0, 1 follows v_∅ + w (v_c − v_∅) step by step (against a plain Euler loop on the exact fields)', () => {
    const before = tf.memory().numTensors;
    const steps = 8;
    const model = guided({ integrator: 'euler', steps });
    const field = exactField();
    const z = createRng(4).normal([4, 2]) as tf.Tensor2D;
    const w = 2.5;
    const labels = [2, 0, 1, 2];
    const got = tf.tidy(() => model.transport(z, { condition: labels, guidance: w }).arraySync());
    // The same arithmetic in plain numbers.
    let x = z.arraySync();
    for (let k = 0; k < steps; k++) {
      const t = k / steps;
      const [vc, vn] = tf.tidy(() => {
        const xt = tf.tensor2d(x);
        const values = tf.tensor1d(labels, 'int32');
        return [field.evaluate(t, xt, { values }).arraySync(), field.evaluate(t, xt, { values, keep: tf.zeros([4]) as tf.Tensor1D }).arraySync()];
      });
      x = x.map((row, i) => row.map((xi, j) => xi + (vn[i]![j]! + w * (vc[i]![j]! - vn[i]![j]!)) / steps));
    }
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(x[i]![j]!, 4)));
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a missing condition, a bad label, guidance on a model trained without dropout, and conditions on an unconditional model', () => {
    const before = tf.memory().numTensors;
    const model = guided({ integrator: 'euler', steps: 2 });
    expect(() => model.sample(3, createRng(0))).toThrow('flow-matching.sample: this model is conditional; give "condition" (a class label in 0…2, or one per sample)');
    expect(() => model.sample(3, createRng(0), { condition: 3 })).toThrow('flow-matching.sample: condition: label 3 is not a class of this model; expected an integer in 0…2');
    expect(() => model.sample(3, createRng(0), { condition: [0, 1] })).toThrow(/expected 3 class labels/);
    const plainDropout = velocityFlow('flow-matching', { sampler: samplerSchema.parse({ steps: 2 }) }, exactField(), registry);
    expect(() => plainDropout.sample(3, createRng(0), { condition: 1, guidance: 2 })).toThrow(/"guidance" 2 needs a model trained with condition dropout/);
    const scalar: VectorField = { ...exactField(), evaluate: (_t, x) => tf.zerosLike(x) };
    delete (scalar as { condition?: unknown }).condition;
    const unconditional = velocityFlow('flow-matching', { sampler: samplerSchema.parse({ steps: 2 }) }, scalar, registry);
    expect(() => unconditional.sample(3, createRng(0), { condition: 1 })).toThrow(/"condition" given, but this model is unconditional/);
    expect(() => unconditional.sample(3, createRng(0), { guidance: 2 })).toThrow(/"guidance" given, but this model is unconditional/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
