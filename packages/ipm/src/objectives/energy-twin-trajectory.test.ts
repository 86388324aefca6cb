// The energy generator's training follows PyTorch's step for step. The fixture holds a small run's
// inputs — made by pfm's own seeded streams (apps/bench/reference/energy-trajectory-inputs.mjs) —
// and the per-step losses and final weights of the same network trained on them by
// torch.optim.AdamW (apps/bench/reference/energy-trajectory-twin.py). A change to the loss, its
// gradient, the optimiser's update, the network, its initialisation or the streams that feed a
// step makes this test fail; regenerate the fixture with both scripts only for an intended change.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng, mlp, trainRecipe, type RecipeInput } from '@pfm/core';
import { relativeL2Error } from '@pfm/core/testing';
import { ipmPlugin } from '../plugin/ipm-plugin.js';
import fixture from '../test-support/energy-twin-trajectory.json' with { type: 'json' };

interface Weights {
  name: string;
  shape: number[];
  values: number[];
}

const registry = createRegistry({ plugins: [corePlugin, ipmPlugin] });
const recipe = fixture.recipe as RecipeInput & { seed: number; steps: number; model: { hidden: number[] } };
const { dim, rows } = fixture;

describe('energy generator: the trajectory of its PyTorch twin', () => {
  it("the fixture's inputs are pfm's own streams (initial weights, per-step noise)", () => {
    const net = mlp({ inputDim: dim, outputDim: dim, hidden: recipe.model.hidden, activation: 'selu' }, createRng(recipe.seed).fold(0).fold(1));
    try {
      (fixture.init as Weights[]).forEach((w, i) => expect(Array.from(net.variables[i]!.dataSync()), w.name).toEqual(w.values.map(Math.fround)));
    } finally {
      net.dispose();
    }
    fixture.noise.forEach((batch, s) => {
      expect(Array.from(createRng(recipe.seed).fold(1).fold(s).fold(1).normalArray(rows * dim)), `step ${s}`).toEqual(batch.map(Math.fround));
    });
  });

  it('loses what torch loses at every step and ends at its weights', async () => {
    const data = tf.tensor2d(fixture.data, [rows, dim]);
    const { model, result } = await trainRecipe(recipe, data, { registry });
    try {
      const torchLosses = fixture.torch.losses;
      expect(result.lossHistory).toHaveLength(torchLosses.length);
      // float32 on both sides; the differences grow from ~1e-7 with the steps (Adam amplifies them).
      result.lossHistory.forEach((loss, s) => expect(Math.abs(loss - torchLosses[s]!), `step ${s + 1}`).toBeLessThan(1e-4 + 1e-3 * Math.abs(torchLosses[s]!)));
      const finals = fixture.torch.final as Weights[];
      const variables = model.maps.generator!.variables;
      finals.forEach((w, i) => expect(relativeL2Error(variables[i]!.dataSync(), w.values), w.name).toBeLessThan(1e-4));
    } finally {
      model.dispose();
      data.dispose();
    }
  });
});
