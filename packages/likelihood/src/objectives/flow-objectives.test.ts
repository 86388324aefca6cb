// The flow objectives: maximum likelihood recovers a correlated Gaussian, densities integrate to
// one, the benchmark recipe builds the stated architecture, bad data is rejected, and trained
// models survive a save/load bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, createTrainingRun, gaussian, modelToContent, parseRecipe, trainRecipe, type Model } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import type { FlowModel } from '../flow/flow-model.js';
import { saveAndLoad } from '../testing/save-and-load.js';
import { MAX_CHAIN_DEPTH } from '../bijectors/bijector-entries.js';
import { permutation, permutationOrder, type PermutationOptions } from '../bijectors/permutation.js';
import { luLinear } from '../bijectors/lu-linear.js';
import { couplingFlowSpecs } from './coupling-flow-specs.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });
const MEAN = [1, -2];
const COV = [
  [2, 1.2],
  [1.2, 1],
];
const target = gaussian({ mean: MEAN, covariance: COV });

function momentsOf(x: tf.Tensor2D): { mean: number[]; cov: number[][] } {
  return tf.tidy(() => {
    const mean = tf.mean(x, 0);
    const c = tf.sub(x, mean);
    const cov = tf.div(tf.matMul(c, c, true, false), x.shape[0] - 1);
    return { mean: mean.arraySync() as number[], cov: cov.arraySync() as number[][] };
  });
}

/** ∫ exp(log p) over [−L, L]² by the midpoint rule with `m` × `m` cells (evaluated in large chunks). */
function integrate(model: Model, L: number, m: number): number {
  const h = (2 * L) / m;
  const rowsPerChunk = Math.max(1, Math.floor(20000 / m));
  let total = 0;
  for (let i0 = 0; i0 < m; i0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, m - i0);
    total += tf.tidy(() => {
      const xs = tf.reshape(tf.tile(tf.reshape(tf.add(tf.mul(tf.range(i0, i0 + rows), h), -L + 0.5 * h), [rows, 1]), [1, m]), [-1]);
      const ys = tf.tile(tf.add(tf.mul(tf.range(0, m), h), -L + 0.5 * h), [rows]);
      const grid = tf.stack([xs, ys], 1) as tf.Tensor2D;
      return tf.sum(tf.exp(model.logProb!(grid))).dataSync()[0]! * h * h;
    });
  }
  return total;
}

describe('realnvp / nsf / flow-mle', () => {
  it('a RealNVP trained on a correlated 2-D Gaussian recovers its mean, covariance and entropy', async () => {
    const data = target.sample(2000, createRng(1));
    const { model } = await trainRecipe(
      { method: 'realnvp', options: { blocks: 2 }, model: { hidden: [16] }, optimizer: { lr: 1e-2 }, steps: 400, batchSize: 256, seed: 3 },
      data,
      { registry },
    );
    try {
      const samples = model.sample(8000, createRng(2));
      const { mean, cov } = momentsOf(samples);
      // Sampling error with 8000 points is ≈ 0.02 on the mean and ≈ 0.03 on the covariance;
      // the rest of the tolerance is for 400 steps of training.
      mean.forEach((m, i) => expect(Math.abs(m - MEAN[i]!)).toBeLessThan(0.12));
      cov.forEach((row, i) => row.forEach((c, j) => expect(Math.abs(c - COV[i]![j]!)).toBeLessThan(0.2)));
      // Test NLL vs the entropy of the target (½ log det(2πe Σ) = 2.36 nats): within 0.05.
      const test = target.sample(4000, createRng(4));
      const nll = tf.tidy(() => -tf.mean(model.logProb!(test)).dataSync()[0]!);
      const entropy = tf.tidy(() => -tf.mean(target.logProb(test)).dataSync()[0]!);
      expect(nll - entropy).toBeGreaterThan(-0.05);
      expect(nll - entropy).toBeLessThan(0.05);
      tf.dispose([samples, test]);
    } finally {
      model.dispose();
      data.dispose();
    }
  });

  it('flow-mle with [lu-linear, elementwise-affine] (the Gaussian family) reaches the sample covariance', async () => {
    const data = target.sample(1000, createRng(5));
    const { model } = await trainRecipe(
      {
        method: 'flow-mle',
        options: { layers: [{ type: 'lu-linear', options: { dim: 2 } }, { type: 'elementwise-affine', options: { dim: 2 } }] },
        optimizer: { lr: 3e-2 },
        steps: 300,
        batchSize: 1000,
        seed: 1,
      },
      data,
      { registry },
    );
    try {
      // x = D W z + b ⇒ model covariance D W Wᵀ D; its maximum-likelihood value is the
      // (biased) sample covariance, so compare the model's exact covariance with it.
      const empirical = momentsOf(data);
      const [W, b] = tf.tidy(() => {
        const eye = tf.eye(2) as tf.Tensor2D;
        const zero = tf.zeros([1, 2]) as tf.Tensor2D;
        const [cols] = (model as FlowModel).maps.flow.forwardAndLogDet(eye);
        const [shift] = (model as FlowModel).maps.flow.forwardAndLogDet(zero);
        return [tf.sub(cols, shift).arraySync() as number[][], shift.arraySync() as number[][]];
      });
      // Row i of W is the image of e_i: covariance = Wᵀ W in this row convention.
      const modelCov = [0, 1].map((i) => [0, 1].map((j) => W[0]![i]! * W[0]![j]! + W[1]![i]! * W[1]![j]!));
      const n = 1000;
      modelCov.forEach((row, i) =>
        row.forEach((c, j) => expect(Math.abs(c - (empirical.cov[i]![j]! * (n - 1)) / n)).toBeLessThan(0.02)),
      );
      b[0]!.forEach((v, i) => expect(Math.abs(v - empirical.mean[i]!)).toBeLessThan(0.02));
    } finally {
      model.dispose();
      data.dispose();
    }
  });

  const kinds: [string, Record<string, unknown>][] = [
    ['realnvp affine, reverse', { method: 'realnvp', options: { blocks: 3 } }],
    ['realnvp additive, alternating masks', { method: 'realnvp', options: { blocks: 3, coupling: 'additive', permutation: 'none' } }],
    ['nsf, lu', { method: 'nsf', options: { blocks: 2, bins: 6, tailBound: 3 } }],
    [
      'flow-mle spline + lu + actnorm',
      {
        method: 'flow-mle',
        options: {
          layers: [
            { type: 'spline-coupling', options: { dim: 2, hidden: [8], bins: 5, tailBound: 3 } },
            { type: 'lu-linear', options: { dim: 2, seed: 3 } },
            { type: 'affine-coupling', options: { dim: 2, hidden: [8], mask: 'even' } },
            { type: 'act-norm', options: { dim: 2 } },
          ],
        },
      },
    ],
  ];
  for (const [name, recipe] of kinds) {
    it(`${name}: a randomly initialised flow's exp(log p) integrates to 1 over a grid`, () => {
      const data = tf.tidy(() => tf.mul(createRng(7).normal([256, 2]), 0.8) as tf.Tensor2D);
      const run = createTrainingRun(parseRecipe({ ...recipe, model: { hidden: [8] }, seed: 2 }, registry), data, registry);
      try {
        run.setup?.();
        // Random weights everywhere (the last layers start at zero, i.e. the identity).
        const noise = createRng(8);
        run.model.maps.flow!.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.add(v, tf.mul(noise.fold(i).normal(v.shape), 0.2)))));
        // Midpoint rule on [−7.5, 7.5]² with 1/16 cells. For these smooth densities the
        // discretisation and the mass outside the square stay below 0.5% (checked against a 3×
        // finer grid on [−12, 12]²); a wrong log-determinant moves the mass by far more than 1%.
        const mass = integrate(run.model, 8, 256);
        expect(Math.abs(mass - 1)).toBeLessThan(0.01);
      } finally {
        run.model.dispose();
        data.dispose();
      }
    });
  }

  it('building a flow run makes no data-dependent initialisation; its setup() makes it once, train() calls it', async () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => tf.add(tf.mul(createRng(3).normal([200, 2]), [3, 0.5]), [4, -1]) as tf.Tensor2D);
    const actNorms = (m: Model) => (m.maps.flow!.toSpec().options.layers as { type: string; options: { initialized: boolean } }[]).filter((l) => l.type === 'act-norm');
    // The data-side ActNorm (the last layer) standardises the data: its shift is the data's mean.
    const dataSideShift = (m: Model) => Array.from((m.maps.flow as unknown as { layers: { variables: tf.Variable[] }[] }).layers.at(-1)!.variables[1]!.dataSync());
    const mean = tf.tidy(() => Array.from(tf.mean(data, 0).dataSync()));
    const recipe = parseRecipe({ method: 'realnvp', options: { blocks: 2 }, model: { hidden: [4] }, steps: 1 }, registry);
    const run = createTrainingRun(recipe, data, registry);
    try {
      expect(actNorms(run.model).map((l) => l.options.initialized)).toEqual([false, false]);
      expect(dataSideShift(run.model)).toEqual([0, 0]);
      run.setup!();
      expect(actNorms(run.model).map((l) => l.options.initialized)).toEqual([true, true]);
      dataSideShift(run.model).forEach((s, j) => expect(s).toBeCloseTo(mean[j]!, 4));
      // A second call changes nothing (the set-up is made once).
      const shifted = (run.model.maps.flow as unknown as { layers: { variables: tf.Variable[] }[] }).layers.at(-1)!.variables[1]!;
      tf.tidy(() => shifted.assign(tf.tensor1d([7, 7])));
      run.setup!();
      expect(dataSideShift(run.model)).toEqual([7, 7]);
    } finally {
      run.model.dispose();
    }
    // The trainer makes it: after one step of a tiny learning rate the shift is still the mean of all
    // 200 rows, not of the first batch of 8 (which ActNorm would take on its first use without it).
    const { model } = await trainRecipe({ method: 'realnvp', options: { blocks: 2 }, model: { hidden: [4] }, steps: 1, batchSize: 8, optimizer: { lr: 1e-6 } }, data, { registry });
    expect(actNorms(model).map((l) => l.options.initialized)).toEqual([true, true]);
    dataSideShift(model).forEach((s, j) => expect(s).toBeCloseTo(mean[j]!, 3));
    model.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the benchmark recipe builds 8 blocks of ActNorm + affine coupling (MLP [32, 32]) with swap permutations', () => {
    const data = tf.tidy(() => createRng(1).normal([64, 2]) as tf.Tensor2D);
    const recipe = parseRecipe({ method: 'realnvp', options: { blocks: 8 }, model: { hidden: [32, 32] }, optimizer: { lr: 1e-3 }, batchSize: 1024 }, registry);
    const run = createTrainingRun(recipe, data, registry);
    try {
      const layers = run.model.maps.flow!.toSpec().options.layers as { type: string; options: Record<string, unknown> }[];
      const count = (t: string) => layers.filter((l) => l.type === t).length;
      expect(count('affine-coupling')).toBe(8);
      expect(count('act-norm')).toBe(8);
      expect(count('permutation')).toBe(7);
      expect(layers).toHaveLength(23);
      for (const l of layers.filter((l) => l.type === 'affine-coupling')) expect(l.options.hidden).toEqual([32, 32]);
      for (const l of layers.filter((l) => l.type === 'permutation')) expect(l.options.kind).toBe('reverse');
      // The data side starts with ActNorm (it standardises the data).
      expect(layers[layers.length - 1]!.type).toBe('act-norm');
      expect(recipe.optimizer.lr).toBe(1e-3);
      expect(recipe.batchSize).toBe(1024);
    } finally {
      run.model.dispose();
      data.dispose();
    }
  });

  it('in d ≥ 3 the default mixing separates every pair of coordinates in some block (reverse never does in 4-D)', () => {
    // Regression: the 2-D default `reverse` kept {x0, x1} and {x2, x3} together in every block of
    // a 4-D RealNVP: x0 and x1 were transformed together, elementwise, in every block, so neither
    // ever entered the conditioner of the other (their dependence could only pass through the
    // transformed x2, x3 of earlier blocks). Traced from the data side: which original
    // coordinates each coupling keeps (conditions on) and which it transforms, through the
    // permutations between blocks; a pair is separated when one is kept and the other transformed.
    const conditioningPairs = (options: Record<string, unknown>, dim: number): Set<string> => {
      const data = tf.tidy(() => createRng(2).normal([64, dim]) as tf.Tensor2D);
      const run = createTrainingRun(parseRecipe({ method: 'realnvp', options }, registry), data, registry);
      try {
        const layers = (run.model.maps.flow!.toSpec().options.layers as { type: string; options: Record<string, unknown> }[]).slice().reverse();
        let at = Array.from({ length: dim }, (_, p) => p);
        const pairs = new Set<string>();
        for (const layer of layers) {
          if (layer.type === 'affine-coupling') {
            expect(layer.options.mask).toBe('upper');
            const half = Math.floor(dim / 2);
            for (let k = 0; k < half; k++) for (let t = half; t < dim; t++) pairs.add(`${at[k]}→${at[t]}`);
          } else if (layer.type === 'permutation') {
            // Noise side x[:, j] = z[:, order[j]], so from the data side position order[j] receives position j.
            const order = permutationOrder(layer.options as PermutationOptions);
            const next = new Array<number>(dim);
            order.forEach((o, j) => (next[o] = at[j]!));
            at = next;
          }
        }
        return pairs;
      } finally {
        run.model.dispose();
        data.dispose();
      }
    };
    for (const dim of [3, 4, 8]) {
      const pairs = conditioningPairs({}, dim);
      for (let i = 0; i < dim; i++) {
        for (let j = i + 1; j < dim; j++) expect(pairs.has(`${i}→${j}`) || pairs.has(`${j}→${i}`), `d=${dim}: ${i}, ${j}`).toBe(true);
      }
    }
    const reversed = conditioningPairs({ permutation: 'reverse' }, 4);
    expect(reversed.has('0→1') || reversed.has('1→0')).toBe(false);
    // In 2-D the default stays the swap of Dinh et al.
    expect(conditioningPairs({}, 2)).toEqual(new Set(['0→1', '1→0']));
  });

  it('mixingOrders pins the mixing layers: the P of every LU layer and every permutation is the given order, kept by the model file', () => {
    const before = tf.memory().numTensors;
    const data = tf.tidy(() => createRng(2).normal([64, 4]) as tf.Tensor2D);
    const orders = [
      [1, 0, 3, 2],
      [2, 3, 0, 1],
      [3, 1, 0, 2],
    ];
    for (const permutation of ['lu', 'random'] as const) {
      const run = createTrainingRun(parseRecipe({ method: 'nsf', options: { permutation, mixingOrders: orders }, model: { hidden: [4] } }, registry), data, registry);
      const copy = saveAndLoad(run.model, registry);
      try {
        for (const model of [run.model, copy]) {
          const chain = model.maps.flow as unknown as { layers: { toSpec(): { type: string }; forwardAndLogDet(z: tf.Tensor2D): [tf.Tensor2D, tf.Tensor1D] }[] };
          // Data → noise order; a layer maps the identity to its matrix, P[i][j] = 1 iff i = order[j] (L = U = I at the start).
          const mixing = [...chain.layers].reverse().filter((l) => ['lu-linear', 'permutation'].includes(l.toSpec().type));
          const found = mixing.map((layer) =>
            tf.tidy(() => {
              const m = layer.forwardAndLogDet(tf.eye(4) as tf.Tensor2D)[0].arraySync();
              return Array.from({ length: 4 }, (_, j) => m.findIndex((row) => row[j] === 1));
            }),
          );
          expect(found).toEqual(orders);
        }
      } finally {
        copy.dispose();
        run.model.dispose();
      }
    }
    const bad = (options: Record<string, unknown>) => () => createTrainingRun(parseRecipe({ method: 'nsf', options }, registry), data, registry);
    expect(bad({ mixingOrders: orders.slice(1) })).toThrow(/nsf: options\.mixingOrders: 2 orders for 4 blocks, expected blocks − 1 = 3/);
    expect(bad({ mixingOrders: [[0, 1, 2, 3], [0, 1, 2, 2], [0, 1, 2, 3]] })).toThrow(/nsf: options\.mixingOrders\[1\]: column 2 appears twice/);
    expect(bad({ mixingOrders: [[0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3]] })).toThrow(/mixingOrders\[0\]: has 3 entries, expected dim = 4/);
    expect(bad({ mixingOrders: [[0, 1, 2, 4], [0, 1, 2, 3], [0, 1, 2, 3]] })).toThrow(/mixingOrders\[0\]: entry 4 is not a column index in 0 … 3/);
    expect(bad({ permutation: 'reverse', mixingOrders: orders })).toThrow(/mixingOrders: needs permutation 'random' or 'lu'.*got 'reverse'/);
    expect(() => parseRecipe({ method: 'realnvp', options: { mixingOrders: [[0, -1]] } }, registry)).toThrow(/config\.options\.mixingOrders/);
    expect(() => permutation({ dim: 3, order: [0, 0, 1] })).toThrow(/order column 0 appears twice/);
    expect(() => luLinear({ dim: 3, order: [0, 1] })).toThrow(/order has 2 entries, expected dim = 3/);
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the random mixing draws every permutation of 4 coordinates equally often over run seeds (the law of a uniform shuffle)', () => {
    // Pearson's χ² of the 24 orders over 3 × 1,600 draws against the uniform law: 23 degrees of
    // freedom, mean 23, sd ≈ 6.8; 60 is exceeded by chance with probability ≈ 4·10⁻⁵. A third of
    // the orders keep the halves {0, 1}, {2, 3} together (8 of 24).
    const counts = new Map<string, number>();
    let keptHalves = 0;
    const draws = 1600;
    for (let s = 0; s < draws; s++) {
      const specs = couplingFlowSpecs({ dim: 4, blocks: 4, permutation: 'random', actnorm: false, rng: createRng(s).fold(0).fold(1), coupling: () => ({ type: 'act-norm', options: { dim: 4 } }) });
      for (const spec of specs.filter((l) => l.type === 'permutation')) {
        const order = Array.from(permutationOrder(spec.options as PermutationOptions));
        counts.set(order.join(''), (counts.get(order.join('')) ?? 0) + 1);
        const head = new Set(order.slice(0, 2));
        if ((head.has(0) && head.has(1)) || (head.has(2) && head.has(3))) keptHalves++;
      }
    }
    const expected = (3 * draws) / 24;
    expect(counts.size).toBe(24);
    const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(60);
    expect(Math.abs(keptHalves / (3 * draws) - 1 / 3)).toBeLessThan(0.03);
  });

  it('rejects NaN rows, wrong dimensions and one-dimensional data with a clear message', async () => {
    const bad = tf.tensor2d([0, 1, 2, 3, NaN, 5, 6, 7], [4, 2]);
    await expect(trainRecipe({ method: 'realnvp', steps: 1 }, bad, { registry })).rejects.toThrow(
      /realnvp: ctx\.data: data row 2, column 0 is NaN; expected finite numbers/,
    );
    bad.dispose();
    const data = tf.tidy(() => createRng(1).normal([32, 2]) as tf.Tensor2D);
    await expect(
      trainRecipe({ method: 'flow-mle', options: { layers: [{ type: 'permutation', options: { dim: 3 } }] }, steps: 1 }, data, { registry }),
    ).rejects.toThrow(/flow-mle: options\.layers act on dim 3, the data has 2 column\(s\)/);
    const line = tf.tidy(() => createRng(1).normal([32, 1]) as tf.Tensor2D);
    await expect(trainRecipe({ method: 'nsf', steps: 1 }, line, { registry })).rejects.toThrow(/nsf: coupling layers need dim ≥ 2/);
    // Both coupling flows declare it up front (ObjectiveEntry.unsupported), with create's reason.
    for (const id of ['nsf', 'realnvp']) {
      expect(registry.get('objective', id).unsupported?.({ dim: 1 })).toBe('coupling layers need dim ≥ 2, the data has 1 column(s)');
      expect(registry.get('objective', id).unsupported?.({ dim: 2 })).toBeUndefined();
    }
    const run = createTrainingRun(parseRecipe({ method: 'realnvp', options: { blocks: 1 } }, registry), data, registry);
    const wide = tf.zeros([3, 3]) as tf.Tensor2D;
    expect(() => run.model.logProb!(wide)).toThrow(/expected input of shape \[n, 2\], got \[3, 3\]/);
    expect(() => parseRecipe({ method: 'nsf', options: { bins: 1 } }, registry)).toThrow(/config\.options\.bins/);
    run.model.dispose();
    tf.dispose([data, line, wide]);
  });

  it('nsf mixes image pixels with a random permutation by default (no d × d LU layer), vectors with LU; a recipe\'s choice wins', () => {
    const image = { dim: 16, eventShape: [4, 4, 1] };
    const onImages = parseRecipe({ method: 'nsf' }, registry, 'config', image).options as { permutation: string; preprocess?: unknown };
    expect(onImages.permutation).toBe('random');
    expect(onImages.preprocess).toBeDefined();
    expect((parseRecipe({ method: 'nsf' }, registry, 'config', { dim: 16 }).options as { permutation: string }).permutation).toBe('lu');
    expect((parseRecipe({ method: 'nsf', options: { permutation: 'lu' } }, registry, 'config', image).options as { permutation: string }).permutation).toBe('lu');
    // realnvp keeps its own rule (random beyond 2-D) and gets no permutation from the image defaults.
    expect((parseRecipe({ method: 'realnvp' }, registry, 'config', image).options as { permutation?: string }).permutation).toBeUndefined();
  });

  it('nsf on image data trains with permutation layers between blocks and no LU layer', async () => {
    const before = tf.memory().numTensors;
    const pixels = tf.tidy(() => tf.div(tf.floor(tf.mul(createRng(2).uniform([32, 16]), 255)), 255) as tf.Tensor2D);
    const { model } = await trainRecipe({ method: 'nsf', options: { blocks: 2, bins: 4 }, model: { hidden: [8] }, steps: 1 }, pixels, { registry, eventShape: [4, 4, 1] });
    const types = JSON.stringify(modelToContent(model, registry));
    expect(types).toContain('"permutation"');
    expect(types).not.toContain('lu-linear');
    model.dispose();
    pixels.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  // The deepest nesting a chain spec may have must still fit in a model file.
  let nested: { type: string; options: Record<string, unknown> } = { type: 'act-norm', options: { dim: 2 } };
  for (let i = 0; i < MAX_CHAIN_DEPTH - 1; i++) nested = { type: 'chain', options: { dim: 2, layers: [nested, { type: 'permutation', options: { dim: 2 } }] } };

  for (const [method, options] of [
    ['realnvp', { blocks: 2, noise: 'uniform', noiseScale: 0.05 }],
    ['flow-mle', { layers: [{ type: 'affine-coupling', options: { dim: 2, hidden: [4] } }, nested] }],
    ['nsf', { blocks: 2, bins: 4 }],
    ['flow-mle', { layers: [{ type: 'act-norm', options: { dim: 2 } }, { type: 'spline-coupling', options: { dim: 2, hidden: [8], bins: 4 } }, { type: 'sigmoid', options: { dim: 2, low: -6, high: 6 } }] }],
  ] as const) {
    it(`${method} ${JSON.stringify(options).length > 80 ? '(deepest nested chains)' : JSON.stringify(options)}: a trained model saved and loaded gives identical samples and log-densities`, async () => {
      const data = tf.tidy(() => createRng(9).normal([256, 2]) as tf.Tensor2D);
      const { model } = await trainRecipe({ method, options, model: { hidden: [8] }, steps: 20, batchSize: 64, seed: 4, optimizer: { lr: 1e-2 } }, data, { registry });
      const copy = saveAndLoad(model, registry);
      try {
        expect(copy.method).toBe(method);
        // logProb first: a reloaded ActNorm must not re-initialise on its first inverse call.
        const la = model.logProb!(data);
        const lb = copy.logProb!(data);
        expect(Array.from(lb.dataSync())).toEqual(Array.from(la.dataSync()));
        const a = model.sample(64, createRng(10));
        const b = copy.sample(64, createRng(10));
        expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
        expect(la.dataSync().every(Number.isFinite)).toBe(true);
        tf.dispose([a, b, la, lb]);
      } finally {
        copy.dispose();
        model.dispose();
        data.dispose();
      }
    });
  }
});
