// pfm's neural spline flow computes what its PyTorch twin computes. The fixture holds, for a small
// NSF (3 blocks, 5 bins, tail bound 3, LU mixing, ActNorm) whose every parameter is set to seeded
// N(0, σ²) values and a batch of 2·N(0, I) rows (some beyond the tails), the per-row log p(x) and the
// gradient of its mean with respect to every parameter as PyTorch computes them with the parity
// twin's layers (apps/bench/reference/nsf-fixed-batch-inputs.mjs writes the inputs with pfm, then
// nsf-fixed-batch-twin.py evaluates them in torch). A change to the spline (knots, derivatives,
// bin search, tails, inverse), the coupling's parameter layout, ActNorm, the LU layer or the order
// of the layers makes this test fail; regenerate the fixture only for an intended change.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, createTrainingRun, parseRecipe } from '@pfm/core';
import { relativeL2Error } from '@pfm/core/testing';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import type { FlowModel } from '../flow/flow-model.js';
import fixture from '../test-support/nsf-twin-fixed-batch.json' with { type: 'json' };

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });

describe('nsf: log-density and gradients of its PyTorch twin on a fixed batch', () => {
  it('equals torch row by row, and its gradient for every parameter', () => {
    const before = tf.memory().numTensors;
    const { dim, rows } = fixture;
    // As nsf-fixed-batch-inputs.mjs: the batch, the flow, then every parameter overwritten.
    const x = tf.tidy(() => tf.mul(createRng(11).normal([rows, dim]), 2) as tf.Tensor2D);
    const run = createTrainingRun(parseRecipe(fixture.recipe, registry), x, registry);
    // The set-up the trainer makes first (ActNorm's data-dependent initialisation), so the weights
    // assigned below are those of an initialised flow and not replaced on the first inverse pass.
    run.setup?.();
    const model = run.model as FlowModel;
    try {
      const layers = (model.maps.flow as unknown as { layers: { variables: tf.Variable[]; toSpec(): { type: string } }[] }).layers;
      let k = 0;
      const variables = layers.flatMap((layer) => {
        const scale = layer.toSpec().type === 'act-norm' ? 0.3 : 0.4;
        for (const v of layer.variables) tf.tidy(() => v.assign(tf.mul(createRng(5).fold(k++).normal(v.shape), scale)));
        return layer.variables;
      });
      expect(variables.map((v) => v.name.replace(/^[a-z-]+\d+\//, ''))).toEqual(fixture.torch.gradients.map((g) => g.name));
      const logProb = tf.tidy(() => Array.from(model.logProb(x).dataSync()));
      // float32 on both sides through 8 layers: rows agree to ~1e-5 (log p is O(10) here).
      logProb.forEach((lp, i) => expect(Math.abs(lp - fixture.torch.logProb[i]!), `row ${i}`).toBeLessThan(1e-3));
      const { value, grads } = tf.variableGrads(() => tf.mean(model.logProb(x)) as tf.Scalar, variables);
      fixture.torch.gradients.forEach((g, i) => {
        const got = grads[variables[i]!.name]!.dataSync();
        // Masked LU entries have a zero gradient on both sides; compare where torch's is not all zero.
        if (g.values.every((v) => v === 0)) expect(Array.from(got).every((v) => v === 0), g.name).toBe(true);
        else expect(relativeL2Error(got, g.values), `${i}: ${g.name}`).toBeLessThan(1e-3);
      });
      tf.dispose([value, ...Object.values(grads)]);
    } finally {
      model.dispose();
      x.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
